using System.Text.Json.Nodes;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Comparison;

/// <summary><c>compare A B --rates</c> on two real local sweeps whose learning-rate grids overlap in one rate.</summary>
public sealed class CompareRatesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-compare-rates-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rates_ShowBothScoresAtEveryRateOfEitherGrid_AndTheirDifferenceWhereBothScored()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "ra", epochs: 1, learningRates: "1.0e-2, 1.0e-3"), state);
        LocalSpecs.Run(LocalSpecs.Write(_dir, "rb", epochs: 2, learningRates: "1.0e-3, 1.0e-4"), state);
        JsonArray Rows(string sweep) => JsonNode.Parse(CliRunner.Run("results", sweep, "--state-dir", state, "--json").Stdout)!["rows"]!.AsArray();
        var (a, b) = (Rows("ra"), Rows("rb"));

        var text = CliRunner.Run("compare", "ra", "rb", "--state-dir", state, "--rates");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal("A = ra (completed), B = rb (completed); Δ = B − A, in points", text.StdoutLines[0]);
        Assert.Equal("final train accuracy at each learning rate per method × optimizer, mean over seeds", text.StdoutLines[1]);
        Assert.DoesNotContain("pooled", text.Stdout);   // both trained seed 0: the same seed twice is no larger sample
        var lines = text.StdoutLines.Where(l => l.Contains("e-", StringComparison.Ordinal) && l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 3, lines.Count);   // backprop and wt with adamw, each at 1e-2, 1e-3 and 1e-4
        for (int m = 0; m < 2; m++)
        {
            double Score(JsonArray rows, double lr) => (double)rows[m]!["rates"]!.AsArray().Single(r => (double)r!["learningRate"]! == lr)!["score"]!;
            string Shown(JsonArray rows, double lr) =>
                (double)rows[m]!["bestLearningRate"]! == lr ? $"[{ResultsTable.Percent(Score(rows, lr))}]" : ResultsTable.Percent(Score(rows, lr));
            var group = lines.Skip(3 * m).Take(3).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.Equal((string?)a[m]!["method"], group[0][0]);
            Assert.Equal(["1e-2", Shown(a, 1e-2), "-"], group[0][2..]);
            var delta = ResultsTable.InPoints(Score(b, 1e-3) - Score(a, 1e-3));
            Assert.Equal(["1e-3", Shown(a, 1e-3), Shown(b, 1e-3), delta.StartsWith('-') ? delta : "+" + delta], group[1]);
            Assert.Equal(["1e-4", "-", Shown(b, 1e-4)], group[2]);
        }
        Assert.Contains("[ ]: each sweep's chosen learning rate", text.Stdout);

        var markdown = CliRunner.Run("compare", "ra", "rb", "--state-dir", state, "--rates", "--markdown");
        Assert.True(markdown.ExitCode == 0, markdown.Stderr);
        Assert.Equal("| method | optimizer | lr | A | B | Δ |", markdown.StdoutLines[0]);
        Assert.Equal(1 + 1 + 6, markdown.StdoutLines.Count(l => l.StartsWith('|')));
        Assert.Contains("at each learning rate per method × optimizer", markdown.Stderr);
    }
}
