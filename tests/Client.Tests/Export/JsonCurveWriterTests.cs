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
    public void DivergedRow_HasNullLossAndAccuracies()
    {
        var row = Single(new CurveRow("s", "c", "wt", "sgd", 1e-2, 0, 3, null, null, double.NaN, null, 1, "diverged"));
        Assert.Null(row["trainLoss"]);
        Assert.Null(row["trainAccuracy"]);
        Assert.True(row.ContainsKey("trainLoss"));
        Assert.Equal("diverged", (string?)row["status"]);
    }
}
