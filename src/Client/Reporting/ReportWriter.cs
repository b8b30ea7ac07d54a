using System.Text;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Reporting;

/// <summary>Reads a sweep and writes its report directory (<c>report</c>, and <c>local --report</c> once its sweep ends).</summary>
internal static class ReportWriter
{
    /// <summary>The figures' width unless told, as plot's.</summary>
    public const int DefaultWidth = 1600;

    /// <summary>Writes the report of <paramref name="sweep"/> to <paramref name="target"/> (checked by
    /// <see cref="ReportDirectory.Check"/>); the exit code: 2 where cells were left out, their curves unreadable.</summary>
    /// <param name="option">The option that named the directory, for messages (<c>--out</c>, <c>--report</c>).</param>
    /// <param name="from">Where the sweep is read, in words, for the report's first paragraph.</param>
    /// <param name="against">Another sweep to compare with, if any.</param>
    public static async Task<int> WriteAsync(ISweepSource source, string sweep, string option, string target, string? stateDirectory, string from,
        int width, CancellationToken ct, ReportAgainst? against = null)
    {
        var (spec, earlier) = await StoredSweep.ReadAsync(source, sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var status = await source.GetStatusAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, status.State);   // a local state directory read offline, its running sweep paused
        var results = await source.GetResultsAsync(sweep, null, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var curves = await source.GetCurvesAsync(sweep, ct);
        var window = CellSummary.DefaultWindow(spec.Epochs);
        var accuracy = PlotCurve.FromCells(sweep, curves, PlotMetric.Both);
        var (figures, missing) = await ReportFigures.DrawAsync(source, spec, status, results, curves, accuracy, width, ct);
        var rows = CurveRows.From(sweep, curves);
        SweepComparison? comparison = null;
        IReadOnlyList<CellCurve> unreadableB = [];
        var costs = RowCost.Of(spec, status, curves);
        IReadOnlyList<ComparedCost>? comparedCosts = null;
        if (against is not null)
        {
            (comparison, var figure, unreadableB, var costsB) = await against.ReadAsync(spec, results, accuracy, width, ct);
            if (figure is not null) figures.Add(figure);
            comparedCosts = ComparedCost.Of(comparison, costs, costsB);
        }
        List<(string?, CellCurve)> unreadable =
            [.. curves.Where(c => c.Unreadable is not null).Select(c => ((string?)null, c)), .. unreadableB.Select(c => ((string?)against!.Label, c))];

        var budgets = new List<(int, SweepResults)>();
        // At every budget the same kind of reading as at the end: a spec that selects by its best epoch has none. Read from
        // the curves, which must all be readable: a cell left out would change the rankings.
        if (status.IsFinished && results.Selection.At == SelectionPoint.Final && !UnreadableCurves.Any(curves))
            foreach (var epoch in BudgetTable.Epochs(spec, results.Selection.Evaluations, earlier))
                budgets.Add((epoch, await source.GetResultsAsync(sweep, BudgetTable.At(results.Selection, epoch), ct) ?? throw GrainSweepSource.SweepNotFound(sweep)));

        var input = new ReportInput(spec, status, results,
            [.. curves.Where(c => c.Unreadable is null).Select(c => CellSummary.From(c, window))], window,
            figures, missing, unreadable, from, DateTimeOffset.UtcNow, budgets, comparison, earlier, costs, comparedCosts);
        var readme = SweepReport.Markdown(input);
        List<(string, Action<Stream>)> files =
        [
            (ReportDirectory.Readme, Utf8(readme)),
            ("spec.yaml", Utf8($"# The spec of sweep {sweep} as stored, every field written out (gradguess report).\n" + SweepSpecWriter.Write(spec))),
            ("curves.csv", stream => Csv(stream, rows)),
            ("results.tex", Lines(ResultsLatex.Lines(results))),
            ("rates.tex", Lines(RatesLatex.Lines(results))),
            .. budgets.Count == 0 ? [] : new[] { ("budget.tex", Lines(BudgetLatex.Lines(budgets, results, spec.Epochs))) },
            .. SweepReport.HasCost(input) ? new[] { ("cost.tex", Lines(CostLatex.Lines(sweep, costs))) } : [],
            .. comparison is null ? [] : new[]
            {
                ("comparison.tex", Lines(ComparisonLatex.Lines(comparison))), ("comparison-rates.tex", Lines(RateComparisonLatex.Lines(comparison))),
            },
            .. SweepReport.HasAgainstCost(input) ? new[] { ("comparison-cost.tex", Lines(CostComparisonLatex.Lines(comparison!, comparedCosts!))) } : [],
            .. figures.Select(f => (f.File, (Action<Stream>)(stream => stream.Write(f.Png)))),
        ];
        var incomplete = unreadable.Count > 0;
        var destination = incomplete ? ReportDirectory.ForIncomplete(option, target, stateDirectory) : target;
        ReportDirectory.Write(destination, files);
        Output.Info($"wrote the report of {sweep} to {destination}: {ReportDirectory.Readme}, {Units.Count(figures.Count, "figure")}, {Units.Count(rows.Count, "curve row")}" +
                    (status.IsFinished ? "" : $" (a snapshot: the sweep is {status.State.Name()})"));
        if (destination != target) Output.Info($"{target} is kept as it was: this report leaves cells out (below)");
        return Math.Max(UnreadableCurves.Report(curves, against is null ? null : sweep),
            against is null ? ExitCodes.Success : UnreadableCurves.Report(unreadableB, against.Label));
    }

    private static Action<Stream> Utf8(string text) => stream => stream.Write(new UTF8Encoding(false).GetBytes(text));

    /// <summary>Lines as a verb prints them on stdout, each ended by LF.</summary>
    private static Action<Stream> Lines(IEnumerable<string> lines) => Utf8(string.Concat(lines.Select(line => line + "\n")));

    /// <summary>Written as it goes, as export writes it: a large sweep's rows run past what one buffer holds.</summary>
    private static void Csv(Stream stream, IReadOnlyList<CurveRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        CsvCurveWriter.Write(writer, rows);
    }
}
