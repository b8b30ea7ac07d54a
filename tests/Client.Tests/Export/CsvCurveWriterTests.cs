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

    private static CurveRow Row(double loss = 0.5, string status = "completed") =>
        new("s", "c1", "wt", "adamw", 1e-3, 0, 2, 0.25, 0.125, loss, 0.75, 1.5, status);

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
}
