using System.Globalization;
using System.Text.RegularExpressions;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary><c>gradguess bench</c> as a user runs it: the section it writes into a benchmarks file, what it leaves
/// alone there, and its refusals. Timings are not asserted (they are the bench's output, not a test's).</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-bench-").FullName;
    private static readonly string[] Tiny = ["bench", "--data", "synthetic", "--width", "16", "--depth", "2", "--warmup", "0", "--timed", "3"];

    /// <summary>A narrowed run (here: two methods, other batch and pack sizes, synthetic data) replaces the section of the
    /// last run narrowed the same way and leaves the full record and other narrowings alone: it once replaced the full
    /// record with its own few rows.</summary>
    [Fact]
    public void Bench_ReplacesOnlyItsOwnSection_AndItsTablesAgreeWithEachOther()
    {
        var file = Path.Combine(_dir, "BENCHMARKS.md");
        File.WriteAllText(file, "# Benchmarks\n\nhand-written intro\n\n<!-- orchestration-bench:start -->\nkeep me\n<!-- orchestration-bench:end -->\n\n" +
                                "<!-- training-bench:start -->\nthe full record\n<!-- training-bench:end -->\n\n" +
                                "<!-- training-bench narrowed: methods backprop,wt; batch sizes 32,64; packs 1,3; data synthetic; 2×16 model; no warm-up:start -->\nstale figures\n<!-- training-bench narrowed: methods backprop,wt; batch sizes 32,64; packs 1,3; data synthetic; 2×16 model; no warm-up:end -->\n" +
                                "<!-- training-bench narrowed: methods wt:start -->\nanother narrowing\n<!-- training-bench narrowed: methods wt:end -->\n");
        var r = CliRunner.Run([.. Tiny, "--methods", "backprop,wt", "--batch-sizes", "32,64", "--packs", "1,3", "--phases", "--out", file]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        var text = File.ReadAllText(file);
        Assert.Contains("hand-written intro", text);
        Assert.Contains("keep me", text);
        Assert.Contains("the full record", text);
        Assert.DoesNotContain("stale figures", text);
        Assert.Contains("another narrowing", text);
        Assert.Equal(1, Count(text, "<!-- training-bench narrowed: methods backprop,wt; batch sizes 32,64; packs 1,3; data synthetic; 2×16 model; no warm-up:start -->"));
        Assert.Contains("## Training speed, one thread (`./gradguess bench`), narrowed run", text);
        Assert.Contains("- Narrowed run (methods backprop,wt; batch sizes 32,64; packs 1,3; data synthetic; 2×16 model; no warm-up)", text);
        Assert.Contains("the full record is left as it was", r.Stderr);

        var speed = Rows(text, "| method | batch | pack | s/epoch");
        Assert.Equal(8, speed.Count);
        // The memory copy rate is sampled after every round: each row's (the median of its rounds') lies in the run's range.
        var copies = Regex.Match(text, @"copied into another \(GB/s of bytes read plus written\), ([0-9.]+)–([0-9.]+) GB/s over this run");
        Assert.True(copies.Success, "no memory copy line in:\n" + text);
        double copyMin = Num(copies.Groups[1].Value), copyMax = Num(copies.Groups[2].Value);
        Assert.True(copyMin > 0 && copyMin <= copyMax, copies.Value);
        Assert.All(speed, row => Assert.InRange(Num(row[9]), copyMin - 0.05, copyMax + 0.05));                                                 // 2 methods × 2 batch sizes × 2 pack sizes
        foreach (var m in new[] { "backprop", "wt" })
            foreach (var b in new[] { "32", "64" })
                foreach (var p in new[] { "1", "3" })
                    Assert.Contains(speed, row => row[0] == m && row[1] == b && row[2] == p);
        foreach (var row in speed)
        {
            // cell-epochs/s = pack / (s/epoch), within what printing both to 3 decimals allows (a tiny epoch is ~3 ms)
            double pack = Num(row[2]), seconds = Num(row[3]), half = 0.0005;
            Assert.InRange(Num(row[4]), pack / (seconds + half) - half, pack / Math.Max(seconds - half, 1e-6) + half);
            Assert.True(Num(row[7]) > 0, "the matmul peak sampled during the configuration");
            Assert.InRange(Num(row[8]), 100 * Num(row[6]) / Num(row[7]) - 1, 100 * Num(row[6]) / Num(row[7]) + 1);   // % of peak
        }

        var packing = Rows(text, "| method | batch | pack | 1 cell |");
        Assert.Equal(4, packing.Count);
        foreach (var row in packing)
        {
            Assert.Equal("3", row[2]);
            var single = speed.Single(s => s[0] == row[0] && s[1] == row[1] && s[2] == "1");
            var pack = speed.Single(s => s[0] == row[0] && s[1] == row[1] && s[2] == "3");
            Assert.Equal(Num(single[4]), Num(row[3]), 3);
            Assert.Equal(Num(pack[4]), Num(row[4]), 3);
            Assert.InRange(Num(row[5]) / (Num(pack[4]) / Num(single[4])), 0.99, 1.01);
            // "1.95× (1.80–2.10)": the per-round median lies within its range.
            var parts = row[6].Replace("×", "").Replace("(", "").Replace(")", "").Split([' ', '–'], StringSplitOptions.RemoveEmptyEntries);
            double median = Num(parts[0]), min = Num(parts[1]), max = Num(parts[2]);
            Assert.True(min <= median && median <= max && min > 0, row[6]);
            // Ceiling: the pack's epoch FLOPs (GFLOP/s × s/epoch) at its peak, against the single cell, recomputed at both
            // ends of the printed figures' rounding (a tiny epoch's 3 decimals are far from exact).
            double Ceiling(int end) =>
                Num(pack[2]) * (Num(pack[7]) + end * 0.05) / ((Num(pack[6]) - end * 0.05) * (Num(pack[3]) - end * 0.0005)) / (Num(single[4]) - end * 0.0005);
            Assert.InRange(Num(row[7].TrimEnd('×')), Ceiling(-1) - 0.005, Num(pack[6]) > 0.05 ? Ceiling(+1) + 0.005 : double.MaxValue);
        }

        // Evaluation, timed at each pack size in the trainer's chunks and in large ones: the speed-up is their ratio.
        var evaluation = Rows(text, "| pack | chunk rows |");
        Assert.Equal(["1", "3"], evaluation.Select(row => row[0]));
        foreach (var row in evaluation)
        {
            Assert.All(row[1..5], v => Assert.True(Num(v) > 0, string.Join(" | ", row)));
            Assert.True(Num(row[1]) <= Num(row[3]), "the trainer's chunks are never larger than the large ones");
            double ours = Num(row[2]), theirs = Num(row[4]), half = 0.005;   // milliseconds, to two decimals
            Assert.InRange(Num(row[5].TrimEnd('×')), (theirs - half) / (ours + half) - 0.005, (theirs + half) / Math.Max(ours - half, 1e-6) + 0.005);
        }

        // --phases: a step's phases add up to the step, and this model's matmuls are rated at every batch and pack size.
        var phases = Rows(text, "| method | batch | pack | batch | forward |");
        Assert.Equal(8, phases.Count);
        foreach (var row in phases)
        {
            var parts = row[3..8].Select(Num).ToArray();
            Assert.All(parts, v => Assert.True(v >= 0, string.Join(" | ", row)));
            Assert.Equal(parts.Sum(), Num(row[8]), 0.003);
            Assert.Equal(Num(row[8]) / Num(row[2]), Num(row[9]), 0.002);
        }
        var matmuls = Rows(text, "| batch | pack | layer 0 forward |");
        Assert.Equal(4, matmuls.Count);
        Assert.All(matmuls, row => Assert.All(row[2..], v => Assert.True(Num(v) > 0, string.Join(" | ", row))));

        // Another thread count gets its own section; the one-thread record stays.
        var two = CliRunner.Run([.. Tiny, "--methods", "backprop", "--batch-sizes", "32", "--packs", "1", "--threads", "2", "--out", file]);
        Assert.True(two.ExitCode == 0, two.Stderr);
        text = File.ReadAllText(file);
        Assert.Contains("<!-- training-bench-2-threads narrowed: methods backprop; batch sizes 32; packs 1; data synthetic; 2×16 model; no warm-up:start -->", text);
        Assert.Equal(8, Rows(text, "| method | batch | pack | s/epoch").Count);
        Assert.Contains("keep me", text);
    }

    [Theory]
    [InlineData("--packs", "0", "--packs")]
    [InlineData("--batch-sizes", "64,x", "--batch-sizes")]
    [InlineData("--methods", "sideways", "--methods")]
    [InlineData("--methods", ",", "at least one")]
    [InlineData("--timed", "0", "--timed")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--method", "wt", "--method")]                                       // train's option: refused, not ignored
    [InlineData("--epochs", "3", "--epochs")]
    public void InvalidOption_ExitsTwoNamingIt_AndWritesNothing(string option, string value, string expected)
    {
        var file = Path.Combine(_dir, "untouched.md");
        var r = CliRunner.Run(CliRunner.WithOption([.. Tiny, "--methods", "backprop", "--batch-sizes", "32", "--out", file], option, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Empty(r.Stdout);
        Assert.False(File.Exists(file), "a refused bench must not write its file");
    }

    /// <summary>The orchestration bench, run from outside the checkout: it writes its section and names the commit of the
    /// checkout the client was built from (it used to ask git in the current directory, and wrote "unknown"). A run
    /// smaller than the record writes a section of its own: it replaced the 1000 × 10 record.</summary>
    [Fact]
    public void OrchestrationBench_FromAnotherDirectory_WritesItsSectionWithTheCheckoutsCommit()
    {
        var file = Path.Combine(_dir, "bench.md");
        File.WriteAllText(file, "# Benchmarks\n\n<!-- orchestration-bench:start -->\nthe record\n<!-- orchestration-bench:end -->\n");
        var r = CliRunner.Run(TimeSpan.FromMinutes(3), _dir,
            "bench", "orchestration", "--cells", "2", "--epochs", "1", "--slots", "1", "--out", file);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var text = File.ReadAllText(file);
        Assert.Matches(@"Commit: [0-9a-f]{7,}( with uncommitted changes)?\.", text);   // a checkout being edited says so
        Assert.Contains("<!-- orchestration-bench:start -->\nthe record\n<!-- orchestration-bench:end -->", text);
        Assert.Contains("<!-- orchestration-bench narrowed: 2 cells × 1 epochs; 1 slots:start -->", text);
        Assert.Contains("Narrowed run (2 cells × 1 epochs; 1 slots): written beside the full record, which it does not replace.", text);
        Assert.Contains("the full record is left as it was", r.Stderr);
    }

    [Theory]
    [InlineData(1000, 10, 64, false, "orchestration-bench")]
    [InlineData(1000, 10, 64, true, "orchestration-bench-fsync")]
    [InlineData(100, 10, 64, false, "orchestration-bench narrowed: 100 cells × 10 epochs")]
    [InlineData(1000, 10, 8, true, "orchestration-bench-fsync narrowed: 8 slots")]
    public void OrchestrationBench_WritesTheRecordsSection_OnlyForTheRecordsSizes(int cells, int epochs, int slots, bool fsync, string section) =>
        Assert.Equal(section, GradGuessCluster.Client.Commands.BenchOrchestrationCommand.Scope(cells, epochs, slots, fsync).Section);

    /// <summary>A bad --out is refused before the bench runs (nothing on stdout: no bench table), and a missing directory
    /// is not created.</summary>
    [Theory]
    [InlineData("training", "dir", "is a directory")]
    [InlineData("training", "missing/x.md", "does not exist")]
    [InlineData("orchestration", "dir", "is a directory")]
    [InlineData("orchestration", "missing/x.md", "does not exist")]
    public void BadOut_ExitsTwoBeforeBenchmarking(string bench, string under, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dir"));
        var args = bench == "training"
            ? [.. Tiny, "--methods", "backprop", "--batch-sizes", "32", "--packs", "1"]
            : new[] { "bench", "orchestration", "--cells", "2", "--epochs", "1", "--slots", "1" };
        var r = CliRunner.Run([.. args, "--out", Path.Combine(_dir, under)]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("gradguess: --out", Assert.Single(r.StderrLines));
        Assert.Contains(expected, r.Stderr);
        Assert.Empty(r.Stdout);
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
    }

    /// <summary>The body rows of the first markdown table whose header starts with <paramref name="header"/>.</summary>
    private static List<string[]> Rows(string text, string header)
    {
        var lines = text.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no table '{header}'");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
    }

    private static double Num(string cell) => double.Parse(cell.TrimEnd('×', '%'), CultureInfo.InvariantCulture);

    private static int Count(string text, string what) => text.Split(what).Length - 1;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
