using System.Globalization;
using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Summaries;

/// <summary><c>results --cost</c> on a sweep a real <c>local</c> trained: its per-epoch times are the exported curves'
/// pack times shared among each pack's cells, as <c>status --json</c> packs them; and what it refuses.</summary>
public sealed class CostCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-cost-" + Guid.NewGuid().ToString("N")[..8]);

    public CostCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EachRowsTimes_AreItsCellsShareOfTheirPacksTimes()
    {
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(LocalSpecs.Write(_dir, "cost", epochs: 3, extra: "packing: lr"), state);

        var run = CliRunner.Run("results", "cost", "--state-dir", state, "--cost", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var rows = JsonNode.Parse(run.Stdout)!["rows"]!.AsArray();
        var cells = JsonNode.Parse(CliRunner.Run("status", "cost", "--state-dir", state, "--json").Stdout)!["cells"]!.AsArray();
        var packSize = cells.GroupBy(c => (string)c!["packId"]!).ToDictionary(g => g.Key, g => g.Count());
        var packOf = cells.ToDictionary(c => (string)c!["cellId"]!, c => (string)c!["packId"]!);
        var csv = CliRunner.Run("export", "cost", "--state-dir", state, "--format", "csv").StdoutLines;
        var header = csv[0].Split(',');
        var epochs = csv.Skip(1).Select(l => l.Split(',')).Select(f => (Method: f[Array.IndexOf(header, "method")], Cell: f[Array.IndexOf(header, "cellId")],
            Seconds: double.Parse(f[Array.IndexOf(header, "seconds")], CultureInfo.InvariantCulture))).ToList();

        Assert.Equal(["backprop", "wt"], rows.Select(r => (string)r!["method"]!));
        foreach (var row in rows)
        {
            var shares = epochs.Where(e => e.Method == (string)row!["method"]!).Select(e => e.Seconds / packSize[packOf[e.Cell]]).Order().ToList();
            Assert.Equal(6, shares.Count);                                      // 2 rates × 3 epochs
            Assert.Equal((2, 6), ((int)row!["cells"]!, (int)row["cellEpochs"]!));
            Assert.Equal((shares[2] + shares[3]) / 2, (double)row["epochSeconds"]!, 9);
            Assert.True((double)row["evaluationSeconds"]! > 0);
            Assert.True((double)row["seconds"]! > shares.Sum(), "the row's time holds its evaluations too");
        }
        Assert.Equal(1.0, (double)rows[0]!["versusBackprop"]!);
        Assert.Equal((double)rows[1]!["epochSeconds"]! / (double)rows[0]!["epochSeconds"]!, (double)rows[1]!["versusBackprop"]!, 9);
        Assert.Equal(rows.Sum(r => (double)r!["seconds"]!), (double)JsonNode.Parse(run.Stdout)!["seconds"]!, 9);

        var table = CliRunner.Run("results", "cost", "--state-dir", state, "--cost");
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("× backprop", table.Stdout);
        Assert.Contains("all cells: ", table.Stdout);
        var latex = CliRunner.Run("results", "cost", "--state-dir", state, "--cost", "--latex");
        Assert.True(latex.ExitCode == 0, latex.Stderr);
        double ms = 1000 * (double)rows[0]!["epochSeconds"]!;
        var shown = ms.ToString(ms >= 100 ? "0" : ms >= 10 ? "0.0" : "0.00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(latex.StdoutLines, l => l.StartsWith($"Backprop & AdamW & {shown} & 1.00 & ", StringComparison.Ordinal));
    }

    [Fact]
    public void ACellWithAnUnreadableCurve_IsLeftOutAndNamed_TheOthersStillCosted()
    {
        var state = Path.Combine(_dir, "state");
        using (var cp = System.Diagnostics.Process.Start("cp", ["-r", Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "state-2026-11-30"), state]))
            cp.WaitForExit();
        var whole = JsonNode.Parse(CliRunner.Run("results", "golden", "--state-dir", state, "--cost", "--json").Stdout)!;
        var chunk = Directory.GetFiles(Path.Combine(state, "state", "gg-curve", "golden"), "*.curve.state", SearchOption.AllDirectories).Order().First();
        File.WriteAllText(chunk, "garbage");

        var run = CliRunner.Run("results", "golden", "--state-dir", state, "--cost", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.StderrLines, l => l.Contains(" left out: ") && l.Contains("is corrupt"));
        var partial = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(whole["rows"]!.AsArray().Sum(r => (int)r!["cells"]!) - 1, partial["rows"]!.AsArray().Sum(r => (int)r!["cells"]!));
        Assert.True((double)partial["seconds"]! < (double)whole["seconds"]!);
    }

    [Theory]
    [InlineData("--rates", "--rates, --budget and --cost: one table at a time")]
    [InlineData("--window", "--cost reads the times every cell took")]
    public void OtherTablesAndRules_AreRefused(string option, string message)
    {
        string[] args = option == "--window" ? ["results", "any", "--cost", option, "2"] : ["results", "any", "--cost", option];
        var run = CliRunner.Run([.. args, "--state-dir", Path.Combine(_dir, "none")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }
}
