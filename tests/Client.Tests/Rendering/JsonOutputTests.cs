using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

public class JsonOutputTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteNumbers_AreNull_LikeTheExport(double loss)
    {
        var cell = new CellStatus("c", "p", new CellConfig("wt", "sgd", 1e-2, 0), CellState.Diverged, 3, 10, 0.5, null, loss, null, null, null);
        var json = JsonNode.Parse(JsonOutput.Serialize(cell))!.AsObject();
        Assert.True(json.ContainsKey("trainLoss"));
        Assert.Null(json["trainLoss"]);
        Assert.Equal(0.5, (double)json["trainAccuracy"]!);
        Assert.Equal("diverged", (string?)json["state"]);

        Assert.Equal("[1.5,null]", JsonNode.Parse(JsonOutput.Serialize(new[] { 1.5, loss }))!.ToJsonString());
    }
}
