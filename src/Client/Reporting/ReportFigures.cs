using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Reporting;

/// <summary>The report's figures, drawn as <c>plot</c> draws them at their default sizes; a figure with nothing to draw
/// is left out with a line saying why.</summary>
internal static class ReportFigures
{
    public const string Accuracy = "curves.png", Loss = "loss.png", Rates = "rates.png", Cosine = "cosine.png", Against = "against.png",
        Time = "time.png";

    /// <param name="accuracy">The cells' accuracy curves (<see cref="PlotCurve.FromCells"/> for <see cref="PlotMetric.Both"/>),
    /// which the report's comparison draws too.</param>
    /// <param name="status">Which pack each cell trained in: the time figure shares a pack's time among its cells.</param>
    public static async Task<(List<ReportFigure> Figures, List<string> Missing)> DrawAsync(ISweepSource source, SweepSpec spec,
        SweepStatus status, SweepResults results, IReadOnlyList<CellCurve> cells, IReadOnlyList<PlotCurve> accuracy, int width, CancellationToken ct)
    {
        var (figures, missing) = (new List<ReportFigure>(), new List<string>());
        void Add(ReportFigure? figure, string whyNot)
        {
            if (figure is not null) figures.Add(figure);
            else missing.Add(whyNot);
        }

        Add(Curves(spec.Name, accuracy, PlotMetric.Both, width, Accuracy,
                "Train (solid) and test (dashed) accuracy, a panel per method × optimizer, a curve per learning rate (mean over seeds)"),
            "no accuracy curve yet: no epoch has been evaluated for every seed");
        if (results.Rows.Any(r => r.Rates?.Any(rate => rate.Score is not null) == true))
        {
            var series = await RatesPlotData.ReadAsync(source, spec.Name, PlotMetric.Both, results.Selection, ct);
            var title = RatesPlotData.Title(spec.Name, results.Selection, PlotMetric.Both);
            figures.Add(new ReportFigure(Rates,
                $"Accuracy at each learning rate as the spec reads it ({ResultsTable.Rule(results.Selection)}; test accuracy read alike), " +
                "train (solid) and test (dashed): a panel per optimizer, a line per method, a ring on the rate each accuracy picks",
                RatesPlot.RenderPng(title, series, width, PlotLayout.DefaultHeight(1, PlotLayout.RatesRowHeight))));
        }
        else missing.Add("no learning-rate figure yet: a rate scores once all its seeds have completed");
        var timed = TimeSeries.Of(status, results, cells, [false, true]);
        if (timed.Any(s => s.Points.Count > 0))
            figures.Add(new ReportFigure(Time,
                "Train (solid) and test (dashed) accuracy against training time per cell, each method at its best learning rate " +
                "(each pack's time shared among its cells): a panel per optimizer, a line per method",
                TimePlot.Render(PlotFormat.Png, TimePlot.Title(spec.Name, PlotMetric.Both, results.Selection), timed, width,
                    PlotLayout.DefaultHeight(1, PlotLayout.RatesRowHeight))));
        else missing.Add("no time figure yet: no best learning rate has an epoch evaluated for every seed");
        var everyEpoch = PlotCurve.FromCells(spec.Name, cells, PlotMetric.Loss);   // the loss and the cosines: every stored epoch
        Add(Curves(spec.Name, everyEpoch, PlotMetric.Loss, width, Loss, "Training loss (log scale), a curve per learning rate"),
            "no loss curve yet");
        if (spec.DiagnosticsOrDefault.CosineEvery > 0)
            Add(Curves(spec.Name, everyEpoch, PlotMetric.Cosine, width, Cosine,
                    "Cosine similarity of each step's guess with the true gradient, over all parameters, where sampled (mean over seeds)"),
                "no cosine figure yet: no sampled step in every seed");
        return (figures, missing);
    }

    private static ReportFigure? Curves(string sweep, IReadOnlyList<PlotCurve> curves, PlotMetric metric, int width, string file, string caption)
    {
        if (PlotCurve.NoneToDraw(curves, metric)) return null;
        var height = PlotLayout.DefaultHeight(CurvePlot.PanelGrid(curves).Methods.Count);
        return new ReportFigure(file, caption, CurvePlot.RenderPng(CurveTitles.Grid(sweep, metric), curves, metric, width, height, null));
    }
}
