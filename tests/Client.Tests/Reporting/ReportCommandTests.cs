using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Reporting;

/// <summary>One sweep a real <c>local</c> trained (two seeds, a rate that diverges, cosines sampled), shared by the tests.</summary>
public sealed class ReportedSweep : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "gg-report-" + Guid.NewGuid().ToString("N")[..8]);
    public string State => Path.Combine(Directory, "state");
    public string Spec => Path.Combine(Directory, "reported.yaml");

    public ReportedSweep()
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Spec, """
            name: reported
            data: { set: synthetic, train: 512, test: 128, features: 32 }
            model: { depth: 2, width: 32 }
            methods: [backprop, wt]
            optimizers: [sgd]
            learningRates: [1.0e+3, 1.0e-1]
            seeds: [0, 1]
            epochs: 3
            batchSize: 128
            diagnostics: { cosineEvery: 2 }
            packing: lr
            """);
        var run = CliRunner.Run("local", Spec, "--state-dir", State, "--metrics-port", "0", "--report", LocalReport);
        Assert.True(run.ExitCode == 0, run.Stderr);
    }

    /// <summary>The report <c>local --report</c> wrote as the sweep ended.</summary>
    public string LocalReport => Path.Combine(Directory, "local-report");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary><c>gradguess report</c>: the directory holds what each reading verb prints of the sweep, replaces only an
/// earlier report, and does not replace a whole report with one that leaves cells out.</summary>
public sealed class ReportCommandTests(ReportedSweep sweep) : IClassFixture<ReportedSweep>, IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateDirectory(Path.Combine(sweep.Directory, Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private CliRunner.Result Report(string outDir, string? state = null) =>
        CliRunner.Run("report", "reported", "--state-dir", state ?? sweep.State, "--out", outDir);

    private CliRunner.Result Verb(params string[] args)
    {
        var run = CliRunner.Run([.. args, "--state-dir", sweep.State]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run;
    }

    [Fact]
    public void TheReport_HoldsWhatEachVerbPrints_AndItsSpecIsTheSameSweep()
    {
        var report = Path.Combine(_dir, "report");
        var run = Report(report);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"wrote the report of reported to {report}: README.md, 5 figures, ", run.Stderr);
        Assert.Equal(["README.md", "budget.tex", "cosine.png", "cost.tex", "curves.csv", "curves.png", "loss.png", "rates.png", "rates.tex", "results.tex", "spec.yaml", "time.png"],
            System.IO.Directory.GetFiles(report).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var readme = File.ReadAllText(Path.Combine(report, "README.md"));
        Assert.StartsWith(ReportDirectory.Marker + "\n# reported\n", readme);
        Assert.Contains("2 methods (backprop, wt) × 1 optimizer (sgd) × 2 learning rates (1e+3, 1e-1) × 2 seeds (0, 1) = 8 cells", readme);
        // The tables, as results, results --rates and diagnostics print them in Markdown.
        Assert.Contains(Verb("results", "reported", "--markdown").Stdout, readme);
        Assert.Contains(Verb("results", "reported", "--rates", "--markdown").Stdout, readme);
        Assert.Contains(Verb("diagnostics", "reported", "--markdown").Stdout, readme);
        Assert.Contains("## What it cost\n\nCost of reported per method × optimizer: seconds per cell", readme);
        Assert.Contains(Verb("results", "reported", "--cost", "--markdown").Stdout, readme);
        Assert.Contains("| backprop | sgd | diverged | **", readme);   // 1e+3 diverged: the case is in the tables
        // The budget: each row's pick had the sweep stopped at epoch 1 (of 3), as results --at 1 ranks it (bold where it moved).
        var budget = readme[readme.IndexOf("## The budget", StringComparison.Ordinal)..].Split("\n## ")[0].Split('\n');
        Assert.Contains("| method | optimizer | epoch 1 | epoch 3 |", budget);
        var atOne = System.Text.Json.Nodes.JsonNode.Parse(Verb("results", "reported", "--at", "1", "--json").Stdout)!["rows"]!.AsArray();
        foreach (var row in atOne)
        {
            var cells = Assert.Single(budget, l => l.StartsWith($"| {row!["method"]} | sgd | ", StringComparison.Ordinal)).Split(" | ");
            var (lr, score) = (ResultsTable.Lr((double)row!["bestLearningRate"]!), ResultsTable.Percent((double)row["trainAccuracy"]!));
            Assert.Contains(cells[2], new[] { $"{lr} {score}", $"**{lr}** {score}" });
        }
        foreach (var figure in new[] { "curves.png", "loss.png", "rates.png", "cosine.png", "time.png" })
            Assert.Contains($"]({figure})", readme);
        // The rates to try next: each row refine would grow, with what it adds, as refine says it.
        var refine = Verb("refine", "reported", "--json");
        var next = readme[readme.IndexOf("## Learning rates to try next", StringComparison.Ordinal)..].Split("\n## ")[0].Split('\n');
        var asked = System.Text.Json.Nodes.JsonNode.Parse(refine.Stdout)!["rows"]!.AsArray().Where(r => r!["rates"]!.AsArray().Count > 0).ToList();
        Assert.NotEmpty(asked);   // 1e-1 is the bottom edge of the grid: every row asks
        foreach (var row in asked)
        {
            var said = Assert.Single(refine.Stderr.Split('\n'), l => l.TrimStart().StartsWith($"{row!["method"]} × sgd ", StringComparison.Ordinal));
            Assert.Contains($"| {row!["method"]} | sgd | {ResultsTable.Lr((double)row["best"]!)} | {said[(said.IndexOf(": ", StringComparison.Ordinal) + 2)..]} |", next);
        }
        Assert.Contains("`gradguess refine reported --out next.yaml` writes the spec with these added to each row's `rowRates` " +
                        "(to `learningRates` where every row asks for one), and " +
                        $"`local|submit next.yaml --extend` trains only their {(int)System.Text.Json.Nodes.JsonNode.Parse(refine.Stdout)!["cellsAdded"]!} cells.", readme);

        // The curves as export writes them; each figure as plot draws it.
        Assert.Equal(Verb("export", "reported", "--format", "csv").Stdout, File.ReadAllText(Path.Combine(report, "curves.csv")));
        Assert.Equal(Verb("results", "reported", "--latex").Stdout, File.ReadAllText(Path.Combine(report, "results.tex")));
        Assert.Equal(Verb("results", "reported", "--rates", "--latex").Stdout, File.ReadAllText(Path.Combine(report, "rates.tex")));
        Assert.Equal(Verb("results", "reported", "--budget", "--latex").Stdout, File.ReadAllText(Path.Combine(report, "budget.tex")));
        Assert.Equal(Verb("results", "reported", "--cost", "--latex").Stdout, File.ReadAllText(Path.Combine(report, "cost.tex")));
        Assert.Contains("| budget.tex |", readme);
        foreach (var (figure, options) in new[]
                 {
                     ("curves.png", Array.Empty<string>()), ("loss.png", ["--metric", "loss"]), ("cosine.png", ["--metric", "cosine"]),
                     ("rates.png", ["--rates"]), ("time.png", ["--time"]),
                 })
        {
            var png = Path.Combine(_dir, "plot-" + figure);
            Verb(["plot", "reported", "--out", png, .. options]);
            Assert.True(File.ReadAllBytes(png).SequenceEqual(File.ReadAllBytes(Path.Combine(report, figure))), $"{figure} differs from plot's");
        }

        // spec.yaml is the sweep: the same canonical fields as the file it was submitted with, and local finds it stored
        // and completed (the same cell ids) instead of training it again.
        // status --spec prints the same YAML (the report's file adds a comment line above it).
        var printed = Verb("status", "reported", "--spec").Stdout;
        Assert.EndsWith(printed, File.ReadAllText(Path.Combine(report, "spec.yaml")));
        Assert.StartsWith("name: reported\n", printed);
        Assert.Contains("--spec: name the sweep", CliRunner.Run("status", "--state-dir", sweep.State, "--spec").Stderr);
        Assert.Contains("--spec and --json", CliRunner.Run("status", "reported", "--state-dir", sweep.State, "--spec", "--json").Stderr);
        var written = Path.Combine(report, "spec.yaml");
        Assert.Empty(SpecCanonical.DifferingFields(SweepSpecParser.ParseFile(sweep.Spec), SweepSpecParser.ParseFile(written)));
        var again = CliRunner.Run("local", written, "--state-dir", sweep.State, "--metrics-port", "0");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"sweep reported found in {sweep.State}: already complete, nothing to train", again.Stderr);
    }

    [Fact]
    public void ResultsBudget_PicksAsResultsAtEachEpochRanks_InEveryFormat_AndRefusesAnotherPoint()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Verb("results", "reported", "--budget", "--json").Stdout)!;
        Assert.Equal([1, 3], json["epochs"]!.AsArray().Select(e => (int)e!));
        foreach (var (epoch, index) in new[] { (1, 0), (3, 1) })
        {
            var at = System.Text.Json.Nodes.JsonNode.Parse(Verb("results", "reported", "--at", $"{epoch}", "--json").Stdout)!["rows"]!.AsArray();
            foreach (var row in json["rows"]!.AsArray())
            {
                var pick = row!["picks"]![index]!;
                var expected = at.Single(r => (string)r!["method"]! == (string)row["method"]!)!;
                Assert.Equal(epoch, (int)pick["epoch"]!);
                Assert.Equal((double)expected["bestLearningRate"]!, (double)pick["learningRate"]!);
                Assert.Equal((double)expected["trainAccuracy"]!, (double)pick["score"]!);
            }
        }

        // As a LaTeX tabular: per row, each budget's pick and score as the JSON has them.
        var latex = Verb("results", "reported", "--budget", "--latex");
        foreach (var row in json["rows"]!.AsArray())
        {
            var line = Assert.Single(latex.StdoutLines, l => l.StartsWith(LatexText.MethodName((string)row!["method"]!) + " & ", StringComparison.Ordinal));
            Assert.Equal(row!["picks"]!.AsArray().SelectMany(p => new[] { LatexText.Rate((double)p!["learningRate"]!), LatexText.Percent((double)p["score"]!) }),
                line[..^" \\\\".Length].Split(" & ").Skip(2));
        }

        var named = System.Text.Json.Nodes.JsonNode.Parse(Verb("results", "reported", "--budget", "--budget-epochs", "2", "--json").Stdout)!;
        Assert.Equal([2, 3], named["epochs"]!.AsArray().Select(e => (int)e!));
        var terminal = Verb("results", "reported", "--budget");
        Assert.Contains("had it stopped at an earlier epoch (as results --at N ranks it), and at its end (epoch 3)", terminal.Stdout);
        Assert.Contains("*: a learning rate that the whole run's ranking (final train accuracy) does not pick", terminal.Stdout);
        var markdown = Verb("results", "reported", "--budget", "--markdown");
        Assert.Equal("| method | optimizer | epoch 1 | epoch 3 |", markdown.StdoutLines[0]);
        var report = Path.Combine(_dir, "budget");
        Assert.Equal(0, Report(report).ExitCode);
        Assert.Contains(markdown.Stdout, File.ReadAllText(Path.Combine(report, "README.md")));   // the report's budget section is this table

        foreach (var (options, message) in new[]
                 {
                     (new[] { "--rates" }, "--rates, --budget and --cost: one table at a time"),
                     (["--at", "best"], "--budget ranks each budget by its last evaluation"),
                     (["--at", "2"], "--budget ranks each budget by its last evaluation"),
                     (["--budget-epochs", "3"], "--budget-epochs 3: sweep 'reported' trains 3 epochs"),
                 })
        {
            var refused = CliRunner.Run(["results", "reported", "--state-dir", sweep.State, "--budget", .. options]);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(message, refused.Stderr);
        }
    }

    [Fact]
    public void LocalWithReport_WritesTheSameReportAsTheVerb_AndRefusesADirectoryThatCannotTakeOne_BeforeTraining()
    {
        var report = Path.Combine(_dir, "verb");
        Assert.Equal(0, Report(report).ExitCode);
        static IEnumerable<string> WithoutWhen(string readme) => readme.Split('\n').Where(l => !l.Contains("Written by `gradguess report` at", StringComparison.Ordinal));
        Assert.Equal(WithoutWhen(File.ReadAllText(Path.Combine(report, "README.md"))), WithoutWhen(File.ReadAllText(Path.Combine(sweep.LocalReport, "README.md"))));
        foreach (var file in System.IO.Directory.GetFiles(report).Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)))
            Assert.True(File.ReadAllBytes(file).SequenceEqual(File.ReadAllBytes(Path.Combine(sweep.LocalReport, Path.GetFileName(file)))), file);

        var mine = System.IO.Directory.CreateDirectory(Path.Combine(_dir, "mine")).FullName;
        File.WriteAllText(Path.Combine(mine, "draft.md"), "mine");
        var state = Path.Combine(_dir, "never");
        var refused = CliRunner.Run("local", sweep.Spec, "--state-dir", state, "--metrics-port", "0", "--report", mine);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"--report: {mine} holds draft.md, which is no report's", refused.Stderr);
        Assert.False(System.IO.Directory.Exists(state), "the sweep started although its report could not be written");

        // watch and submit --watch check it before they reach for a cluster (none listens on this port).
        const string nowhere = "127.0.0.1:9";   // the discard port: nothing listens there
        var watch = CliRunner.Run("watch", "reported", "--gateway", nowhere, "--report", mine);
        Assert.Equal(2, watch.ExitCode);
        Assert.Contains("--report: ", watch.Stderr);
        var submit = CliRunner.Run("submit", sweep.Spec, "--gateway", nowhere, "--watch", "--report", mine);
        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("holds draft.md, which is no report's", submit.Stderr);
        var unwatched = CliRunner.Run("submit", sweep.Spec, "--gateway", nowhere, "--report", Path.Combine(_dir, "new"));
        Assert.Equal(2, unwatched.ExitCode);
        Assert.Contains("--report: only with --watch", unwatched.Stderr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(mine, "draft.md")));
    }

    [Fact]
    public void AnEarlierReport_IsReplacedWhole_ButADirectoryOfAnythingElseIsRefused_AndLeftAsItWas()
    {
        var report = Path.Combine(_dir, "again");
        Assert.Equal(0, Report(report).ExitCode);
        File.WriteAllText(Path.Combine(report, "rates.png"), "an old figure");
        var second = Report(report);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.NotEqual("an old figure", File.ReadAllText(Path.Combine(report, "rates.png")));
        Assert.Equal([Path.GetFileName(report)], System.IO.Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));   // no hidden leftovers

        File.WriteAllText(Path.Combine(report, "notes.txt"), "mine");
        var refused = Report(report);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"--out: {report} holds notes.txt, which is no report's", refused.Stderr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(report, "notes.txt")));

        var papers = System.IO.Directory.CreateDirectory(Path.Combine(_dir, "papers")).FullName;
        File.WriteAllText(Path.Combine(papers, "README.md"), "# my notes\n");
        var notMine = Report(papers);
        Assert.Equal(2, notMine.ExitCode);
        Assert.Contains("holds a README.md that no report wrote", notMine.Stderr);
        Assert.Equal("# my notes\n", File.ReadAllText(Path.Combine(papers, "README.md")));

        var root = CliRunner.Run("report", "reported", "--gateway", "127.0.0.1:9", "--out", "/");   // checked before the cluster is asked
        Assert.Equal(2, root.ExitCode);
        Assert.Contains("--out: / is the root directory", root.Stderr);
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        Assert.Contains("is a file; a report is a directory", Report(file).Stderr);
        Assert.Contains("does not exist", Report(Path.Combine(_dir, "missing", "report")).Stderr);
        var inside = Report(Path.Combine(sweep.State, "report"));
        Assert.Equal(2, inside.ExitCode);
        Assert.Contains("overlap; write the report outside the sweep's state", inside.Stderr);
        Assert.False(System.IO.Directory.Exists(Path.Combine(sweep.State, "report")));
        var unknown = CliRunner.Run("report", "nosuch", "--state-dir", sweep.State, "--out", Path.Combine(_dir, "none"));
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("nosuch", unknown.Stderr);
        Assert.False(System.IO.Directory.Exists(Path.Combine(_dir, "none")));
    }

    [Fact]
    public void Against_AnotherSweep_AddsTheComparisonAndTheBestCurvesFigure_AsCompareAndPlotShowThem()
    {
        // The same sweep from a copy of its state: two runs of one spec, told apart by their directories.
        var copy = Path.Combine(_dir, "copy");
        CopyDirectory(sweep.State, copy);
        var report = Path.Combine(_dir, "against");
        var run = CliRunner.Run("report", "reported", "--state-dir", sweep.State, "--against", "reported", "--against-state-dir", copy, "--out", report);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("6 figures", run.Stderr);
        var readme = File.ReadAllText(Path.Combine(report, "README.md"));
        Assert.Contains($"## Against reported ({copy})", readme);
        Assert.Contains("The specs are the same.", readme);
        Assert.Contains("Every best learning rate and accuracy is the same in both, to the last digit.", readme);
        Assert.Contains(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--markdown").Stdout, readme);
        Assert.Contains(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--rates", "--markdown").Stdout, readme);
        Assert.Contains(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--cost", "--markdown").Stdout, readme);
        Assert.Contains("| backprop | sgd | ", Verb("compare", "reported", "reported", "--against-state-dir", copy, "--cost", "--markdown").Stdout);
        Assert.Equal(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--latex").Stdout, File.ReadAllText(Path.Combine(report, "comparison.tex")));
        Assert.Contains("| comparison.tex |", readme);
        Assert.Equal(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--rates", "--latex").Stdout,
            File.ReadAllText(Path.Combine(report, "comparison-rates.tex")));
        Assert.Contains("| comparison-rates.tex |", readme);
        Assert.Equal(Verb("compare", "reported", "reported", "--against-state-dir", copy, "--cost", "--latex").Stdout,
            File.ReadAllText(Path.Combine(report, "comparison-cost.tex")));
        Assert.Contains("| comparison-cost.tex |", readme);
        var png = Path.Combine(_dir, "against.png");
        Verb("plot", "reported", "--against", "reported", "--against-state-dir", copy, "--out", png);
        Assert.True(File.ReadAllBytes(png).SequenceEqual(File.ReadAllBytes(Path.Combine(report, "against.png"))), "against.png differs from plot's");

        var itself = CliRunner.Run("report", "reported", "--state-dir", sweep.State, "--against", "reported", "--out", Path.Combine(_dir, "self"));
        Assert.Equal(2, itself.ExitCode);
        Assert.Contains("--against reported: give another sweep", itself.Stderr);
        var dirOnly = CliRunner.Run("report", "reported", "--state-dir", sweep.State, "--against-state-dir", copy, "--out", Path.Combine(_dir, "self"));
        Assert.Equal(2, dirOnly.ExitCode);
        Assert.Contains("--against-state-dir: give the sweep to read there with --against", dirOnly.Stderr);
        var insideB = CliRunner.Run("report", "reported", "--state-dir", sweep.State, "--against", "reported", "--against-state-dir", copy,
            "--out", Path.Combine(copy, "r"));
        Assert.Equal(2, insideB.ExitCode);
        Assert.False(System.IO.Directory.Exists(Path.Combine(_dir, "self")));

        // A damaged curve of B's: named on stderr and under Problems, left out of against.png, exit 2.
        var curvesB = Path.Combine(copy, "state", "gg-curve", "reported");
        var cell = System.IO.Directory.GetDirectories(curvesB).Select(Path.GetFileName).Order(StringComparer.Ordinal).First()!;
        File.WriteAllText(Path.Combine(curvesB, cell, "0.curve.state"), "garbage");
        var damaged = CliRunner.Run("report", "reported", "--state-dir", sweep.State, "--against", "reported", "--against-state-dir", copy,
            "--out", Path.Combine(_dir, "damaged"));
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains($"cell {cell} of reported ({copy}) left out", damaged.Stderr);
        Assert.Contains($"- cell {cell} of reported ({copy}) is left out of against.png", File.ReadAllText(Path.Combine(_dir, "damaged", "README.md")));
    }

    [Fact]
    public void ACellWithAnUnreadableCurve_IsNamed_AndTheReportGoesBesideAWholeOne()
    {
        var state = Path.Combine(_dir, "state");
        CopyDirectory(sweep.State, state);
        var report = Path.Combine(_dir, "whole");
        Assert.Equal(0, Report(report, state).ExitCode);
        var wholeReadme = File.ReadAllText(Path.Combine(report, "README.md"));
        var curves = Path.Combine(state, "state", "gg-curve", "reported");
        var cell = System.IO.Directory.GetDirectories(curves).Select(Path.GetFileName).Order(StringComparer.Ordinal).First()!;
        var chunk = Path.Combine(curves, cell, "0.curve.state");
        Assert.True(File.Exists(chunk), "the curve chunk is no longer where this test damages it");
        File.WriteAllText(chunk, "garbage");

        var run = Report(report, state);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"cell {cell} left out", run.Stderr);
        Assert.Contains($"{report} is kept as it was: this report leaves cells out", run.Stderr);
        Assert.Equal(wholeReadme, File.ReadAllText(Path.Combine(report, "README.md")));
        var partial = File.ReadAllText(Path.Combine(report + ".partial", "README.md"));
        Assert.Contains("## Problems", partial);
        Assert.Contains($"cell {cell} is left out of the curves, the figures and curves.csv", partial);
        Assert.DoesNotContain(cell, File.ReadAllText(Path.Combine(report + ".partial", "curves.csv")));
        Assert.Contains("## The budget", wholeReadme);
        Assert.DoesNotContain("## The budget", partial);   // rankings read from the curves would leave the cell out
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in System.IO.Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }
}
