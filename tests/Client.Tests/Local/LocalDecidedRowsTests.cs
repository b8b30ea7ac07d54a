using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>A real <c>local</c> run with its output redirected (plain progress) says a results row's pick when the row's
/// last cell ends, before the sweep does: backprop's row, whose two packs train first on the one slot.</summary>
public sealed class LocalDecidedRowsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-decided-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalDecidedRowsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARowWhoseCellsAllEnded_IsSaidWithItsPick_AsResultsGivesIt_AndTheLastRowIsLeftToTheTable()
    {
        var spec = Path.Combine(_dir, "decided.yaml");
        // W^T's two packs come last and take seconds on any machine (no rate here diverges early): the 0.5 s polls see
        // backprop's row end first.
        File.WriteAllText(spec, """
            name: decided
            data: { set: synthetic, train: 8192, test: 256, features: 64 }
            model: { depth: 2, width: 128 }
            methods: [backprop, wt]
            optimizers: [sgd]
            learningRates: [1.0e-2, 1.0e-3]
            epochs: 20
            batchSize: 32
            checkpointEvery: 20
            """);
        var state = Path.Combine(_dir, "state");
        var run = CliRunner.Run("local", spec, "--state-dir", state, "--metrics-port", "0", "--cpu-slots", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);

        var rows = JsonNode.Parse(CliRunner.Run("results", "decided", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        var backprop = rows.Single(r => (string?)r!["method"] == "backprop")!;
        var expected = $"  decided   backprop sgd: {ResultsTable.Lr((double)backprop["bestLearningRate"]!)}, " +
                       $"train {ResultsTable.Percent((double)backprop["trainAccuracy"]!)}, test {ResultsTable.Percent((double)backprop["testAccuracy"]!)}";
        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        var said = Assert.Single(lines, l => l.StartsWith("  decided ", StringComparison.Ordinal));
        Assert.StartsWith(expected, said);
        // Said after backprop's last cell ended and before W^T's did.
        int at = Array.IndexOf(lines, said);
        Assert.Contains(lines[..at], l => l.StartsWith("  completed backprop sgd", StringComparison.Ordinal));
        Assert.Equal(2, lines[at..].Count(l => l.StartsWith("  completed wt sgd", StringComparison.Ordinal)));
    }
}
