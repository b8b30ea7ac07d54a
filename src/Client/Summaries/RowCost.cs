using GradGuessCluster.Client.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Summaries;

/// <summary>What one method × optimizer's cells cost, from the times their packs recorded each epoch: a pack's time is
/// shared evenly among its cells, since they train in one pass (so a row packed into fewer cells per pack costs more
/// per cell). Medians, because an epoch that sampled the cosine, or ran beside a starting pack, takes longer.</summary>
/// <param name="CellEpochs">Epochs recorded over the row's cells (each cell's own, diverged epochs included).</param>
/// <param name="EpochSeconds">Median over those epochs of the training pass's seconds per cell; null before any.</param>
/// <param name="EvaluationSeconds">Median over the evaluated epochs of the evaluation's seconds per cell (train and test
/// set); null before any.</param>
/// <param name="Seconds">The row's whole time, training and evaluation, summed over its cells' shares.</param>
/// <param name="VersusBackprop">Its <see cref="EpochSeconds"/> over backprop's with the same optimizer, where the sweep
/// trains backprop with it: what guessing costs per epoch against the oracle.</param>
internal sealed record RowCost(string Method, string Optimizer, int Cells, long CellEpochs, double? EpochSeconds,
    double? EvaluationSeconds, double Seconds, double? VersusBackprop)
{
    /// <summary>Per method × optimizer of <paramref name="spec"/>, in its order; <paramref name="status"/> says which pack
    /// each cell trained in (<see cref="PackShares"/>). A cell whose curve could not be read is left out (its caller
    /// names it), not counted as a cell that trained nothing.</summary>
    public static IReadOnlyList<RowCost> Of(SweepSpec spec, SweepStatus status, IReadOnlyList<CellCurve> curves)
    {
        var share = PackShares.Of(status);
        curves = [.. curves.Where(c => c.Unreadable is null)];
        var rows = spec.Methods.SelectMany(m => spec.Optimizers.Select(o => (Method: m, Optimizer: o)))
            .Select(row => Row(row.Method, row.Optimizer,
                [.. curves.Where(c => c.Config.Method == row.Method && c.Config.Optimizer == row.Optimizer)], share))
            .ToList();
        var backprop = rows.Where(r => r.Method == "backprop").ToDictionary(r => r.Optimizer, r => r.EpochSeconds);
        return [.. rows.Select(r => r with
        {
            VersusBackprop = r.EpochSeconds is { } s && backprop.GetValueOrDefault(r.Optimizer) is { } b && b > 0 ? s / b : null,
        })];
    }

    private static RowCost Row(string method, string optimizer, IReadOnlyList<CellCurve> cells, Func<string, int> share)
    {
        var records = cells.SelectMany(c => c.Records.Select(r => (Record: r, Share: share(c.CellId)))).ToList();
        var train = records.Select(r => r.Record.Seconds / r.Share).ToList();
        var evaluation = records.Where(r => r.Record.EvalSeconds > 0).Select(r => r.Record.EvalSeconds / r.Share).ToList();
        return new RowCost(method, optimizer, cells.Count, records.Count, Median(train), Median(evaluation),
            records.Sum(r => (r.Record.Seconds + r.Record.EvalSeconds) / r.Share), null);
    }

    private static double? Median(List<double> values) => values.Count == 0 ? null : Stats.Median(values);
}
