using GradGuessCluster.Client.Export;

namespace GradGuessCluster.Client.Tests.Export;

public class CsvCurveWriterTests
{
    private static string Csv(params CurveRow[] rows)
    {
        using var writer = new StringWriter();
        CsvCurveWriter.Write(writer, rows);
        return writer.ToString();
    }

    private static CurveRow Row(double loss = 0.5, IReadOnlyList<double>? ranks = null, IReadOnlyList<double>? layerCosine = null,
        string status = "completed") =>
        new("s", "c1", "wt", "adamw", 1e-3, 0, 2, 0.25, 0.125, loss, 0.75, 1.5, status, ranks, layerCosine);

    [Fact]
    public void Header_KeepsTheFirstColumnsInPlace_AndAddsLaterColumnsLast()
    {
        var header = Csv().TrimEnd('\n');
        Assert.Equal("sweep,cellId,method,optimizer,lr,seed,epoch,trainAccuracy,testAccuracy,trainLoss,cosineSimilarity,seconds,status," +
                     "effectiveRank,layerCosineSimilarity,gradientProjection,updateNormRatio,stepCosine,layerStepCosine," +
                     "layerGradientShare,layerUpdateShare,layerStepShare", header);
    }

    [Fact]
    public void GradientProjectionNormRatioAndStepCosines_AreTheLastFields_EmptyWhenNotSampled()
    {
        var sampled = Csv(Row() with
        {
            GradientProjection = 1.25, UpdateNormRatio = 8, StepCosine = 0.5, LayerStepCosine = [0.25, 0.125],
            LayerGradientShare = [0.75, 0.25], LayerUpdateShare = [0.5, 0.5], LayerStepShare = [1, 0],
        }).Split('\n')[1].Split(',');
        Assert.Equal(["1.25", "8", "0.5", "0.25;0.125", "0.75;0.25", "0.5;0.5", "1;0"], sampled[^7..]);
        Assert.Equal(Enumerable.Repeat("", 7), Csv(Row()).Split('\n')[1].Split(',')[^7..]);
    }

    [Fact]
    public void Lines_EndInLfOnly()
    {
        var csv = Csv(Row(), Row());
        Assert.DoesNotContain('\r', csv);
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteLoss_IsAnEmptyField(double loss)
    {
        var fields = Csv(Row(loss, status: "diverged")).Split('\n')[1].Split(',');
        Assert.Equal("", fields[Array.IndexOf(CsvCurveWriter.Columns, "trainLoss")]);
        Assert.Equal("diverged", fields[Array.IndexOf(CsvCurveWriter.Columns, "status")]);
    }

    [Fact]
    public void PerLayerLists_AreSemicolonJoined_OrEmptyWhenAbsent()
    {
        var lines = Csv(Row(ranks: [12.5, 3, double.NaN], layerCosine: [0.5, 0.25]), Row()).Split('\n');
        var sampled = lines[1].Split(',');
        var absent = lines[2].Split(',');
        Assert.Equal(CsvCurveWriter.Columns.Length, sampled.Length);
        Assert.Equal(CsvCurveWriter.Columns.Length, absent.Length);
        var lists = Array.IndexOf(CsvCurveWriter.Columns, "effectiveRank");
        Assert.Equal(["12.5;3;", "0.5;0.25"], sampled[lists..(lists + 2)]);
        Assert.Equal(["", ""], absent[lists..(lists + 2)]);
        Assert.Equal("0.5", sampled[Array.IndexOf(CsvCurveWriter.Columns, "trainLoss")]);
    }

    [Fact]
    public void PerLayerLists_WithNoFiniteValue_AreEmpty()
    {
        var fields = Csv(Row(double.NaN, ranks: [double.NaN, double.NaN], layerCosine: [double.NaN, double.NaN, double.NaN], status: "diverged")
                with { LayerStepCosine = [double.NaN, double.NaN] })
            .Split('\n')[1].Split(',');
        string Field(string column) => fields[Array.IndexOf(CsvCurveWriter.Columns, column)];
        Assert.Equal(["", "", ""], [Field("effectiveRank"), Field("layerCosineSimilarity"), Field("layerStepCosine")]);
    }
}
