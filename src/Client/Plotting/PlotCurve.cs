using GradGuessCluster.Client.Export;

namespace GradGuessCluster.Client.Plotting;

/// <summary>One curve of a plot: a method × optimizer × learning rate, averaged over seeds at each evaluated epoch.</summary>
public sealed record PlotCurve(string Method, string Optimizer, double Lr,
    IReadOnlyList<(int Epoch, double Accuracy)> Train, IReadOnlyList<(int Epoch, double Accuracy)> Test)
{
    /// <summary>Groups long-format rows into curves, in the rows' (grid) order; each point averages all of
    /// <paramref name="seeds"/> (the grid's), and epochs where one of them has no value are skipped.</summary>
    public static IReadOnlyList<PlotCurve> FromRows(IEnumerable<CurveRow> rows, IReadOnlyCollection<int> seeds) =>
        rows.GroupBy(r => (r.Method, r.Optimizer, r.Lr))
            .Select(g => new PlotCurve(g.Key.Method, g.Key.Optimizer, g.Key.Lr,
                SeedAverage.Of(g, seeds, r => r.TrainAccuracy), SeedAverage.Of(g, seeds, r => r.TestAccuracy)))
            .ToList();
}
