using System.Globalization;
using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Comparison;

/// <summary><c>compare A B --cost</c> on two sweeps a real <c>local</c> trained (an ablation: two guesses a step in B):
/// each side's figures are its own <c>results --cost</c>, beside B − A as <c>compare</c> reports it.</summary>
public sealed class CompareCostTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-cmpcost-" + Guid.NewGuid().ToString("N")[..8]);

    public CompareCostTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EachSidesCost_IsItsResultsCost_BesideWhatBsChangeBought()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "one", epochs: 2, extra: "packing: lr"), state);
        LocalSpecs.Run(LocalSpecs.Write(_dir, "two", epochs: 2, extra: "packing: lr\nestimator: { guesses: 2 }"), state);

        var run = CliRunner.Run("compare", "one", "two", "--state-dir", state, "--cost", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var rows = JsonNode.Parse(run.Stdout)!["rows"]!.AsArray();
        JsonArray Cost(string sweep) => JsonNode.Parse(CliRunner.Run("results", sweep, "--state-dir", state, "--cost", "--json").Stdout)!["rows"]!.AsArray();
        var (a, b) = (Cost("one"), Cost("two"));
        var compared = JsonNode.Parse(CliRunner.Run("compare", "one", "two", "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();

        Assert.Equal(["backprop", "wt"], rows.Select(r => (string)r!["method"]!));
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i]!;
            Assert.Equal((double)a[i]!["epochSeconds"]!, (double)row["a"]!["epochSeconds"]!);
            Assert.Equal((double)b[i]!["seconds"]!, (double)row["b"]!["seconds"]!);
            Assert.Equal((double)b[i]!["epochSeconds"]! / (double)a[i]!["epochSeconds"]!, (double)row["epochRatio"]!, 12);
            Assert.Equal((double)compared[i]!["trainDelta"]!, (double)row["delta"]!, 12);
        }

        var table = CliRunner.Run("compare", "one", "two", "--state-dir", state, "--cost");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("the specs differ in: estimator.guesses 1 → 2", table.Stdout);
        Assert.Contains("B ÷ A", table.Stdout);
        var markdown = CliRunner.Run("compare", "one", "two", "--state-dir", state, "--cost", "--markdown");
        Assert.Equal("| method | optimizer | A / epoch | B / epoch | B ÷ A | A time | B time | Δ |", markdown.StdoutLines[0]);
        Assert.StartsWith($"| wt | adamw | {CostTable.Seconds((double)a[1]!["epochSeconds"]!)} | ", markdown.StdoutLines[3]);
        var latex = CliRunner.Run("compare", "one", "two", "--state-dir", state, "--cost", "--latex");
        Assert.True(latex.ExitCode == 0, latex.Stderr);
        Assert.Contains("% estimator.guesses: A 1, B 2", latex.StdoutLines);
        Assert.StartsWith($"$W^T$ & AdamW & {CostLatex.Milliseconds((double)a[1]!["epochSeconds"]!)} & {CostLatex.Milliseconds((double)b[1]!["epochSeconds"]!)} & " +
                          ((double)rows[1]!["epochRatio"]!).ToString("0.00", CultureInfo.InvariantCulture) + " & ", latex.StdoutLines.Single(l => l.StartsWith("$W^T$", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheRatesTable_IsRefused()
    {
        var run = CliRunner.Run("compare", "x", "y", "--cost", "--rates", "--state-dir", Path.Combine(_dir, "none"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--rates and --cost: one table at a time", run.Stderr);
    }
}
