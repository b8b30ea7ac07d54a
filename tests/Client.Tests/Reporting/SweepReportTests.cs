using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Reporting;

/// <summary>The report's README.md for what a finished sweep on disk does not show: a sweep still running, with a problem,
/// a failed cell and nothing ended yet.</summary>
public sealed class SweepReportTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARunningSweep_IsASnapshot_WithItsProblems_AndOnlyTheSectionsItHasDataFor()
    {
        var spec = new SweepSpec("snap", new DataSpec("synthetic"), new ModelSpec(2, 16), ["backprop", "wt"], ["sgd"], [0.1],
            new List<int> { 0 }, 3);
        CellStatus Cell(string method, CellState state, int epoch, string? error = null) =>
            new($"c-{method}", $"p-{method}", new CellConfig(method, "sgd", 0.1, 0), state, epoch, 3, null, null, null, null, null, error);
        var status = new SweepStatus("snap", SweepState.Running, 3,
            [Cell("backprop", CellState.Running, 1), Cell("wt", CellState.Failed, 0, "out of memory | try a smaller *batch*")],
            Submitted, null, Problem: "the data's digest changed");
        var results = new SweepResults("snap", SweepState.Running, new SelectionSpec(), []);
        var readme = SweepReport.Markdown(new ReportInput(spec, status, results, [], 1, [], ["no accuracy curve yet: no epoch has been evaluated for every seed"],
            [], "a running cluster", Submitted.AddMinutes(5)));

        Assert.StartsWith(ReportDirectory.Marker + "\n# snap\n\nSweep snap: running, 2 cells (1 running, 1 failed), 1/6 cell-epochs", readme);
        Assert.Contains("Submitted 2026-12-06 10:00 UTC; running. Written by `gradguess report` at 2026-12-06 10:05 UTC from a running cluster.", readme);
        Assert.Contains("The sweep was still running: this is a snapshot", readme);
        Assert.Contains("2 methods (backprop, wt) × 1 optimizer (sgd) × 1 learning rate (1e-1) × 1 seed (0) = 2 cells: 3 epochs each at batch 512 on synthetic, a 2 × 16 ReLU MLP.", readme);
        Assert.Contains("## Best learning rate per method × optimizer\n\nNo cell has ended yet.\n", readme);
        Assert.Contains("- no accuracy curve yet: no epoch has been evaluated for every seed\n", readme);
        Assert.Contains("## Problems\n\n- the sweep: the data's digest changed\n- wt sgd lr=1e-1 seed=0 (failed): out of memory \\| try a smaller \\*batch\\*\n", readme);
        // Nothing ranked, no diagnostics asked for, no figure drawn: those sections and files are not there.
        Assert.DoesNotContain("## Every learning rate", readme);
        Assert.DoesNotContain("## Diagnostics", readme);
        Assert.DoesNotContain(".png", readme);

        var started = spec with { Model = spec.Model with { Init = "/weights/bp3.safetensors", InitDigest = new string('a', 32) } };
        var fromFile = SweepReport.Markdown(new ReportInput(started, status, results, [], 1, [], [], [], "a running cluster", Submitted.AddMinutes(5)));
        Assert.Contains($"a 2 × 16 ReLU MLP started from the weights in `bp3.safetensors` (digest `{new string('a', 32)}`).", fromFile);
        var rows = spec with { RowRates = [new RowLearningRates("wt", "sgd", [1e-2, 1e-3])] };
        Assert.Contains("The grid: (2 methods (backprop, wt) × 1 optimizer (sgd) × 1 learning rate (1e-1) + 2 rates of single rows " +
                        "(wt × sgd: 1e-2, 1e-3)) × 1 seed (0) = 4 cells:",
            SweepReport.Markdown(new ReportInput(rows, status, results, [], 1, [], [], [], "a running cluster", Submitted.AddMinutes(5))));
        var many = spec with { Methods = ["backprop", "wt", "downstream", "directional"],
            RowRates = [.. new[] { "backprop", "wt", "downstream", "directional" }.Select(m => new RowLearningRates(m, "sgd", [1e-2]))] };
        Assert.Contains("+ 4 rates of single rows in 4 rows, `rowRates` (the table of every rate's score below has them)) × 1 seed (0) = 8 cells:",
            SweepReport.Markdown(new ReportInput(many, status, results, [], 1, [], [], [], "a running cluster", Submitted.AddMinutes(5))));
        var scaled = spec with { Model = spec.Model with { InitScale = 0.1 } };
        Assert.Contains("a 2 × 16 ReLU MLP initialised at 0.1 × PyTorch's default.",
            SweepReport.Markdown(new ReportInput(scaled, status, results, [], 1, [], [], [], "a running cluster", Submitted.AddMinutes(5))));
    }

    [Fact]
    public void AFinishedSweep_SaysWhenItEndedAndHowLongItTook_AndHasNoProblemsSection()
    {
        var spec = new SweepSpec("done", new DataSpec("fashion-mnist"), new ModelSpec(), ["wt"], ["adamw"], [1e-3], new List<int> { 0, 1 }, 5,
            Diagnostics: new DiagnosticsSpec(CosineEvery: 10));
        var status = new SweepStatus("done", SweepState.Completed, 5, [], Submitted, Submitted.AddMinutes(83));
        var results = new SweepResults("done", SweepState.Completed, new SelectionSpec(), []);
        var readme = SweepReport.Markdown(new ReportInput(spec, status, results, [], 1, [new ReportFigure("cosine.png", "The cosine", [1, 2])], [],
            [], "the state directory `s`", Submitted.AddDays(1)));

        Assert.Contains("Submitted 2026-12-06 10:00 UTC, completed 2026-12-06 11:23 UTC (about 1 h 23 min).", readme);
        Assert.DoesNotContain("snapshot", readme);
        Assert.DoesNotContain("## Problems", readme);
        Assert.Contains("## Diagnostics", readme);
        Assert.Contains("![The cosine](cosine.png)\n\n*The cosine.*\n", readme);
        Assert.Contains("| cosine.png | The cosine |", readme);
        Assert.Contains("× 2 seeds (0, 1) = 2 cells", readme);
    }
}
