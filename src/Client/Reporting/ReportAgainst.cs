using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Reporting;

/// <summary>The sweep a report compares its own with (<c>report A --against B</c>): where to read it, and how tables and
/// legends name it.</summary>
internal sealed record ReportAgainst(ISweepSource Source, string Sweep, string Label, Func<string, Exception> NotFound)
{
    /// <summary>B ranked by A's rule, as <c>compare A B</c> ranks it, the figure of each sweep's best-LR curves as
    /// <c>plot A --against B</c> draws it (none where neither has one yet), B's cells whose curves could not be read
    /// (left out of the figure), and what B's rows cost (<c>results B --cost</c>).</summary>
    public async Task<(SweepComparison Comparison, ReportFigure? Figure, IReadOnlyList<CellCurve> Unreadable, IReadOnlyList<RowCost> Costs)> ReadAsync(
        SweepSpec specA, SweepResults resultsA, IReadOnlyList<PlotCurve> accuracyA, int width, CancellationToken ct)
    {
        var specB = await Source.GetSpecAsync(Sweep, ct) ?? throw NotFound(Sweep);
        var rule = resultsA.Selection;
        if (rule.Window is { } window && SelectionWindow.Problem(specB, rule.At, rule.Epoch, window) is { } wrong)
            throw new UsageException($"{Label} cannot be ranked by {specA.Name}'s rule: {wrong}");
        var resultsB = (await Source.GetResultsAsync(Sweep, rule, ct) ?? throw NotFound(Sweep)) with { Name = Label };
        var comparison = SweepComparison.Of(specA, resultsA, specB, resultsB);

        var curvesB = await Source.GetCurvesAsync(Sweep, ct);
        List<PlotCurve> best =
        [
            .. BestLrCurves.Of(specA.Name, accuracyA, resultsA),
            .. BestLrCurves.Of(Label, PlotCurve.FromCells(Sweep, curvesB, PlotMetric.Both), resultsB),
        ];
        List<CellCurve> unreadable = [.. curvesB.Where(c => c.Unreadable is not null)];
        var statusB = await Source.GetStatusAsync(Sweep, ct) ?? throw NotFound(Sweep);
        var costs = RowCost.Of(specB, statusB, curvesB);
        if (PlotCurve.NoneToDraw(best, PlotMetric.Both)) return (comparison, null, unreadable, costs);
        var height = PlotLayout.DefaultHeight(CurvePlot.PanelGrid(best).Methods.Count);
        var png = CurvePlot.RenderPng(CurveTitles.Against(specA.Name, Label, PlotMetric.Both), best, PlotMetric.Both, width, height, [specA.Name, Label]);
        return (comparison, new ReportFigure(ReportFigures.Against,
            $"Each sweep's best learning rate per method × optimizer, {specA.Name} (A) against {Label} (B): train (solid) and test (dashed) accuracy", png),
            unreadable, costs);
    }
}
