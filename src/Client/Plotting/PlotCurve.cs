using GradGuessCluster.Client.Export;

namespace GradGuessCluster.Client.Plotting;

/// <summary>One curve of a plot: a method × optimizer × learning rate, averaged over seeds at each evaluated epoch.</summary>
public sealed record PlotCurve(string Method, string Optimizer, double Lr,
    IReadOnlyList<(int Epoch, double Accuracy)> Train, IReadOnlyList<(int Epoch, double Accuracy)> Test)
{
    /// <summary>Groups long-format rows into curves, in the rows' (grid) order; epochs without a value are skipped.</summary>
    public static IReadOnlyList<PlotCurve> FromRows(IEnumerable<CurveRow> rows) =>
        rows.GroupBy(r => (r.Method, r.Optimizer, r.Lr))
            .Select(g => new PlotCurve(g.Key.Method, g.Key.Optimizer, g.Key.Lr,
                Mean(g, r => r.TrainAccuracy), Mean(g, r => r.TestAccuracy)))
            .ToList();

    private static IReadOnlyList<(int, double)> Mean(IEnumerable<CurveRow> rows, Func<CurveRow, double?> value) =>
        rows.Where(r => value(r) is { } v && double.IsFinite(v))
            .GroupBy(r => r.Epoch)
            .OrderBy(e => e.Key)
            .Select(e => (e.Key, e.Average(r => value(r)!.Value)))
            .ToList();
}
