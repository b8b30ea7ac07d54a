using GradGuessCluster.Client.Export;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Plotting;

/// <summary>One curve of a plot: a method × optimizer × learning rate, averaged over seeds at each evaluated epoch
/// (the cosines, the guess's and the optimizer's step's, at each epoch where they were sampled; the training loss at each
/// evaluated epoch; the effective rank of one weight matrix at each evaluated epoch where it was computed; one layer's
/// share of the true gradient at each epoch where it was sampled). The cosines are over all parameters, or one layer's.</summary>
/// <param name="Sweep">Set when curves of several sweeps share the plot (<c>plot A --against B</c>): they are then
/// coloured by sweep, not by learning rate.</param>
public sealed record PlotCurve(string Method, string Optimizer, double Lr,
    IReadOnlyList<PlotPoint> Train, IReadOnlyList<PlotPoint> Test, IReadOnlyList<PlotPoint> Cosine, IReadOnlyList<PlotPoint> Loss,
    string? Sweep = null, IReadOnlyList<PlotPoint>? Rank = null, IReadOnlyList<PlotPoint>? StepCosine = null,
    IReadOnlyList<PlotPoint>? GradientShare = null)
{
    /// <summary>Groups long-format rows into curves, in the rows' (grid) order; each point averages all of
    /// <paramref name="seeds"/> (the grid's), and epochs where one of them has no value are skipped.</summary>
    /// <param name="layer">The weight matrix, or linear layer (0: the input layer's), whose effective rank <see cref="Rank"/>
    /// and share of the gradient <see cref="GradientShare"/> hold (null: 0), and whose cosines <see cref="Cosine"/> and
    /// <see cref="StepCosine"/> hold (null: over all parameters).</param>
    public static IReadOnlyList<PlotCurve> FromRows(IEnumerable<CurveRow> rows, IReadOnlyCollection<int> seeds, int? layer = null) =>
        rows.GroupBy(r => (r.Method, r.Optimizer, r.Lr))
            .Select(g => new PlotCurve(g.Key.Method, g.Key.Optimizer, g.Key.Lr,
                SeedAverage.Of(g, seeds, r => r.TrainAccuracy), SeedAverage.Of(g, seeds, r => r.TestAccuracy),
                SeedAverage.Of(g, seeds, r => layer is { } l ? At(r.LayerCosine, l) : r.CosineSimilarity), SeedAverage.Of(g, seeds, r => r.TrainLoss),
                Rank: SeedAverage.Of(g, seeds, r => At(r.EffectiveRank, layer ?? 0)),
                StepCosine: SeedAverage.Of(g, seeds, r => layer is { } l ? At(r.LayerStepCosine, l) : r.StepCosine),
                GradientShare: SeedAverage.Of(g, seeds, r => At(r.LayerGradientShare, layer ?? 0))))
            .ToList();

    /// <summary>A sweep's cells as the curves of a <paramref name="metric"/> plot, each averaged over the grid's seeds (every
    /// cell's, those without rows too). Loss and the sampled figures are recorded every epoch, not only where the accuracies
    /// are evaluated: their plots take every one.</summary>
    public static IReadOnlyList<PlotCurve> FromCells(string sweep, IReadOnlyList<CellCurve> cells, PlotMetric metric, int? layer = null)
    {
        var seeds = cells.Select(c => c.Config.Seed).Distinct().ToList();
        var everyEpoch = metric is PlotMetric.Loss or PlotMetric.Cosine or PlotMetric.StepCosine or PlotMetric.GradientShare;
        return FromRows(CurveRows.From(sweep, cells, everyEpoch), seeds, layer);
    }

    /// <summary>Whether a <paramref name="metric"/> plot of <paramref name="curves"/> would draw no point.</summary>
    public static bool NoneToDraw(IReadOnlyList<PlotCurve> curves, PlotMetric metric) =>
        curves.All(c => c.Series(metric).All(series => series.Points.Count == 0));

    private static double? At(IReadOnlyList<double>? perLayer, int layer) => perLayer is { } values && layer < values.Count ? values[layer] : null;

    /// <summary>The series a plot of <paramref name="metric"/> draws, with whether each is dashed.</summary>
    public IEnumerable<(IReadOnlyList<PlotPoint> Points, bool Dashed)> Series(PlotMetric metric) => metric switch
    {
        PlotMetric.Train => [(Train, false)],
        PlotMetric.Test => [(Test, false)],
        PlotMetric.Both => [(Train, false), (Test, true)],
        PlotMetric.Loss => [(Loss, false)],
        PlotMetric.Rank => [(Rank ?? [], false)],
        PlotMetric.StepCosine => [(StepCosine ?? [], false)],
        PlotMetric.GradientShare => [(GradientShare ?? [], false)],
        _ => [(Cosine, false)],
    };
}
