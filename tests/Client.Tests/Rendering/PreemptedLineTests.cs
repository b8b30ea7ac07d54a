using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How status names the slots a sweep's packs gave to other sweeps.</summary>
public sealed class PreemptedLineTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 3, 4, TimeSpan.FromHours(1));

    [Fact]
    public void TheLine_NamesTheLastPack_ItsEpoch_TheSweep_AndTheCountOnlyBeyondOne()
    {
        Assert.Equal("pack p3 gave its slot to sweep short after epoch 40 at 11:03:04 UTC (fair share; it checkpointed there and queued again to resume from it)",
            SweepStatusView.Preempted(new SlotYields(1, "p3", 40, "short", At)));
        Assert.EndsWith("resume from it), 3 slots given up in all", SweepStatusView.Preempted(new SlotYields(3, "p3", 40, "short", At)));
    }

    [Fact]
    public void Json_CarriesTheYields_UnderYields()
    {
        var status = new SweepStatus("s", SweepState.Running, 10, [], At, null, Yields: new SlotYields(2, "p0", 8, "other", At));
        var yields = JsonNode.Parse(JsonOutput.Serialize(status))!["yields"]!;
        Assert.Equal(2, (int)yields["count"]!);
        Assert.Equal("other", (string?)yields["lastTo"]);
        Assert.Null(JsonNode.Parse(JsonOutput.Serialize(status with { Yields = null }))!["yields"]);
    }
}
