using System.Text.Json.Nodes;
using GradGuessCluster.Client.Export;

namespace GradGuessCluster.Client.Tests.Export;

public class JsonCurveWriterTests
{
    private static JsonObject Single(CurveRow row)
    {
        using var stream = new MemoryStream();
        JsonCurveWriter.Write(stream, [row]);
        return JsonNode.Parse(stream.ToArray())!.AsArray().Single()!.AsObject();
    }

    [Fact]
    public void ManyRows_ReachTheStreamAsTheyAreWritten_NotAllAtTheEnd()
    {
        using var stream = new MemoryStream();
        long writtenBeforeTheLast = -1;
        IEnumerable<CurveRow> Rows()
        {
            for (var epoch = 1; epoch <= 2000; epoch++)
            {
                if (epoch == 2000) writtenBeforeTheLast = stream.Length;
                yield return new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, epoch, 0.5, 0.5, 1, null, 1, "completed");
            }
        }
        JsonCurveWriter.Write(stream, Rows());
        Assert.InRange(writtenBeforeTheLast, stream.Length / 2, stream.Length);   // some 500 kB, flushed by then
        Assert.Equal(2000, JsonNode.Parse(stream.ToArray())!.AsArray().Count);
    }

    [Fact]
    public void DivergedRow_HasNullLossAndAccuracies()
    {
        var row = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, double.NaN, double.PositiveInfinity, double.NaN, null, 1, "diverged"));
        Assert.Null(row["trainLoss"]);
        Assert.Null(row["trainAccuracy"]);
        Assert.Null(row["testAccuracy"]);
        Assert.True(row.ContainsKey("trainLoss"));
        Assert.True(row.ContainsKey("trainAccuracy"));
        Assert.Equal("diverged", (string?)row["status"]);
    }

    [Fact]
    public void PerLayerLists_AreArrays_WithNullForNonFinite_OrNullWhenAbsent()
    {
        var sampled = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, 0.5, 0.5, 1, 0.1, 1, "completed", [12.5, double.NaN], [0.5, 0.25]));
        Assert.Equal("[12.5,null]", sampled["effectiveRank"]!.ToJsonString());
        Assert.Equal("[0.5,0.25]", sampled["layerCosineSimilarity"]!.ToJsonString());

        var absent = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, 0.5, 0.5, 1, null, 1, "completed"));
        Assert.True(absent.ContainsKey("effectiveRank") && absent.ContainsKey("layerCosineSimilarity"));
        Assert.Null(absent["effectiveRank"]);
        Assert.Null(absent["layerCosineSimilarity"]);
    }

    [Fact]
    public void GradientProjectionNormRatioAndStepCosine_AreNumbers_OrNullWhenNotSampled()
    {
        var sampled = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, 0.5, 0.5, 1, 0.1, 1, "completed",
            GradientProjection: 0.75, UpdateNormRatio: 12.5, StepCosine: 0.25, LayerStepCosine: [0.5, 0.125],
            LayerGradientShare: [0.75, 0.25], LayerUpdateShare: [0.5, 0.5], LayerStepShare: [1, 0]));
        Assert.Equal((0.75, 12.5, 0.25), ((double)sampled["gradientProjection"]!, (double)sampled["updateNormRatio"]!, (double)sampled["stepCosine"]!));
        Assert.Equal("[0.5,0.125]", sampled["layerStepCosine"]!.ToJsonString());
        Assert.Equal(("[0.75,0.25]", "[0.5,0.5]", "[1,0]"),
            (sampled["layerGradientShare"]!.ToJsonString(), sampled["layerUpdateShare"]!.ToJsonString(), sampled["layerStepShare"]!.ToJsonString()));

        var absent = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, 0.5, 0.5, 1, null, 1, "completed"));
        Assert.True(absent.ContainsKey("gradientProjection") && absent.ContainsKey("updateNormRatio"));
        Assert.Null(absent["gradientProjection"]);
        Assert.Null(absent["updateNormRatio"]);
        Assert.Null(absent["stepCosine"]);
        foreach (var name in new[] { "layerStepCosine", "layerGradientShare", "layerUpdateShare", "layerStepShare" })
        {
            Assert.True(absent.ContainsKey(name), name);
            Assert.Null(absent[name]);
        }
    }
}
