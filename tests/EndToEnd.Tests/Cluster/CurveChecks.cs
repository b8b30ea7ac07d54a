using System.Text.Json.Nodes;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>Checks on an exported sweep (JSON long format).</summary>
internal static class CurveChecks
{
    /// <summary>Every cell has every epoch 1..<paramref name="epochs"/> exactly once, and all are completed.</summary>
    public static void AssertCompleteWithoutDuplicates(JsonArray rows, int cells, int epochs)
    {
        var byCell = rows.Select(r => r!.AsObject()).GroupBy(r => (string)r["cellId"]!).ToList();
        Assert.Equal(cells, byCell.Count);
        foreach (var cell in byCell)
        {
            var epochList = cell.Select(r => (int)r["epoch"]!).ToList();
            Assert.Equal(Enumerable.Range(1, epochs), epochList.Order());
            Assert.All(cell, r => Assert.Equal("completed", (string?)r["status"]));
            Assert.All(cell, r => Assert.InRange((double)r["trainAccuracy"]!, 0, 1));
        }
    }
}
