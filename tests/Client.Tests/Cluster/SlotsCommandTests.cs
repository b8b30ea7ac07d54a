using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary><c>slots</c> against a silo process: each pack holding a slot with its time left, asked of its sweep.</summary>
public sealed class SlotsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-slots-" + Guid.NewGuid().ToString("N")[..8]);

    public SlotsCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task APackHoldingTheSlot_SaysItsTimeLeft_InTheTableAndTheJson()
    {
        var (silo, target) = await LocalProcess.StartSiloAsync(Path.Combine(_dir, "state"));
        using var _ = silo;
        // Two packs (backprop, wt) on one slot: one trains for minutes, the other waits.
        var spec = LocalSpecs.Write(_dir, "holder", epochs: 50_000, checkpointEvery: 10_000, train: 256, width: 8, learningRates: "1.0e-2");
        var submit = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["submit", spec, .. target]);
        Assert.True(submit.ExitCode == 0, submit.Stderr);

        // Its pace is known once the pack has reported twice, a second or so apart.
        JsonNode holder = null!;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(500))
        {
            var json = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["slots", "--json", .. target]);
            Assert.True(json.ExitCode == 0, json.Stderr);
            var held = JsonNode.Parse(json.Stdout)!["silos"]!.AsArray().SelectMany(s => s!["devices"]!.AsArray()).SelectMany(d => d!["held"]!.AsArray()).ToList();
            Assert.All(held, h => Assert.True(h!.AsObject().ContainsKey("secondsLeft"), h.ToJsonString()));   // null before a pace
            if (held.FirstOrDefault(h => h!["secondsLeft"] is not null) is { } paced) { holder = paced; break; }
            Assert.True(DateTime.UtcNow < deadline, "no holder's time left: " + json.Stdout);
        }
        Assert.Equal("holder", (string?)holder["sweep"]);
        Assert.InRange((double)holder["secondsLeft"]!, 1, 1e7);   // 50,000 epochs: not nearly done, not stalled for ages

        var table = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["slots", .. target]);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(table.StdoutLines, l => l.Contains("time left") && l.Contains("sweep"));
        Assert.Contains(table.StdoutLines, l => l.Contains("holder") && l.Contains("training") && (l.Contains("about ") || l.Contains("under a minute")));

        Assert.Equal(0, CliRunner.Run(TimeSpan.FromMinutes(1), null, ["cancel", "holder", .. target]).ExitCode);
        silo.Signal("TERM");
        Assert.Equal(0, silo.WaitForExit(TimeSpan.FromSeconds(60)));
    }
}
