using GradGuessCluster.Client.Summaries;

namespace GradGuessCluster.Client.Comparison;

/// <summary>One method × optimizer of <c>compare A B --cost</c>: what its cells cost in each sweep (<see cref="RowCost"/>)
/// beside what B's change bought (<see cref="Delta"/>): whether an ablation's gain is worth its time, or how a re-run on
/// other hardware compares.</summary>
/// <param name="Delta">B − A of the selection metric at each side's best learning rate (a fraction); null unless both
/// have one.</param>
internal sealed record ComparedCost(string Method, string Optimizer, RowCost? A, RowCost? B, double? Delta)
{
    /// <summary>B's training seconds per cell-epoch over A's.</summary>
    public double? EpochRatio => A?.EpochSeconds is { } a && B?.EpochSeconds is { } b && a > 0 ? b / a : null;

    /// <summary>B's whole time for the row over A's.</summary>
    public double? TimeRatio => A is { CellEpochs: > 0, Seconds: > 0 } a && B is { CellEpochs: > 0 } b ? b.Seconds / a.Seconds : null;

    /// <summary>The comparison's rows in its order (A's, then B's own), each with both sides' costs.</summary>
    public static IReadOnlyList<ComparedCost> Of(SweepComparison comparison, IReadOnlyList<RowCost> a, IReadOnlyList<RowCost> b) =>
    [
        .. comparison.Rows.Select(r => new ComparedCost(r.Method, r.Optimizer,
            a.FirstOrDefault(c => c.Method == r.Method && c.Optimizer == r.Optimizer),
            b.FirstOrDefault(c => c.Method == r.Method && c.Optimizer == r.Optimizer),
            r.Delta(comparison.Selection.Metric))),
    ];
}
