using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary><c>gradguess doctor</c> against a running silo process: it reaches the cluster with the options every cluster
/// verb takes, and sees the silo holding its state directory.</summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class DoctorEndToEndTests(SingleSiloFixture fixture) : IClassFixture<SingleSiloFixture>
{
    [Fact]
    public async Task Doctor_WithTheClustersOptions_ReachesItsSiloAndSeesItHoldTheStateDirectory()
    {
        var state = fixture.Dir.Combine("single");
        var run = await Gradguess.RunAsync(["doctor", "--json", "--state-dir", state, .. fixture.Connect]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var findings = JsonNode.Parse(run.Stdout)!.AsArray().Select(f => f!.AsObject()).ToList();
        var cluster = findings.Single(f => (string?)f["area"] == "cluster");
        Assert.Equal("ok", (string?)cluster["status"]);
        Assert.Matches($@"^reached the gateway {fixture.Silo.Gateway} \(cluster '{fixture.ClusterId}'\): 1 silo, \d/2 training slots in use",
            (string?)cluster["detail"]);
        Assert.EndsWith("; a running local or silo holds it now", (string?)findings.Single(f => (string?)f["area"] == "state")["detail"]);
    }
}
