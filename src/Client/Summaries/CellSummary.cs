using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Summaries;

/// <summary>One cell's run in one row, for <c>gradguess diagnostics</c>: where it ended, the mean cosine with the true
/// gradient over its first and its last <see cref="Window"/> epochs, and each weight matrix's effective rank at its first
/// and last evaluated epoch: what a self-sharpening reading compares (docs/STUDY.md), without exporting every epoch.</summary>
/// <param name="Epoch">The cell's last recorded epoch (0 before its first).</param>
/// <param name="TrainAccuracy">At the last evaluated epoch, as <c>results --at final</c> reads it; null before one, and never
/// a diverged epoch's (NaN weights score about chance).</param>
/// <param name="CosineFirst">Mean over the sampled epochs 1 to <see cref="Window"/>; null where none was sampled.</param>
/// <param name="CosineLast">Mean over the sampled epochs among the last <see cref="Window"/> up to <see cref="Epoch"/>.</param>
/// <param name="ProjectionFirst">Mean projection of the updates on the true gradient, in units of it, over epochs 1 to
/// <see cref="Window"/> (1 for backprop; past 1, steps longer along it than the gradient's).</param>
/// <param name="RmsCosineFirst">The same window's mean projection over its RMS update length (both in units of the
/// gradient): the cosine AdamW's second moment sees, which the mean cosine overstates when the updates' lengths vary.</param>
/// <param name="StepCosineFirst">Mean over the same window of the cosine of the optimizer's steps (the parameters'
/// change) with the descent direction: what momentum, AdamW's scaling and weight decay made of the updates.</param>
/// <param name="RankFirst">Effective rank of each weight matrix, input layer first, at the first epoch that computed it.</param>
/// <param name="Layers">Each linear layer's figures over the same windows (empty when none were recorded).</param>
/// <param name="StepOverlapFirst">Σ_l √(a_l·b_l) of the layers' shares of the true gradient and of the step over the first
/// window (<see cref="LayerSummary.StepOverlapFirst"/>).</param>
public sealed record CellSummary(
    string CellId, string Method, string Optimizer, double LearningRate, int Seed, CellState State, int Epoch,
    double? TrainAccuracy, double? TestAccuracy, int Window, double? CosineFirst, double? CosineLast,
    double? ProjectionFirst, double? ProjectionLast, double? RmsCosineFirst, double? RmsCosineLast,
    double? StepCosineFirst, double? StepCosineLast,
    int? RankFirstEpoch, double[]? RankFirst, int? RankLastEpoch, double[]? RankLast,
    IReadOnlyList<LayerSummary> Layers, double? StepOverlapFirst, double? StepOverlapLast)
{
    /// <summary>The summary of <paramref name="curve"/> (its records in epoch order) over windows of
    /// <paramref name="window"/> (≥ 1) epochs. The windows overlap for a cell that has trained fewer than twice as many.</summary>
    public static CellSummary From(CellCurve curve, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var records = curve.Records;
        int last = records.Count > 0 ? records[^1].Epoch : 0;
        var evaluated = records.LastOrDefault(r => r.IsScored());
        // A diverged epoch's ranks, like its accuracies, are its NaN weights'.
        var ranked = records.Where(r => !r.Diverged && r.EffectiveRank is { Length: > 0 }).ToList();
        var config = curve.Config;
        var (first, final) = (Alignment.Over(records, 1, window), Alignment.Over(records, last - window + 1, last));
        var layers = LayerSummary.From(records, window, last);
        return new CellSummary(curve.CellId, config.Method, config.Optimizer, config.LearningRate, config.Seed, curve.State, last,
            evaluated?.TrainAccuracy, evaluated?.TestAccuracy, window,
            Mean(records, 1, window, r => r.CosineSimilarity), Mean(records, last - window + 1, last, r => r.CosineSimilarity),
            first?.Projection, final?.Projection, first?.RmsCosine, final?.RmsCosine,
            Mean(records, 1, window, r => r.StepCosine), Mean(records, last - window + 1, last, r => r.StepCosine),
            ranked.FirstOrDefault()?.Epoch, ranked.FirstOrDefault()?.EffectiveRank,
            ranked.LastOrDefault()?.Epoch, ranked.LastOrDefault()?.EffectiveRank,
            layers, LayerSummary.StepOverlapFirst(layers), LayerSummary.StepOverlapLast(layers));
    }

    /// <summary>The mean of the finite values recorded in epochs <paramref name="from"/> to <paramref name="to"/>.</summary>
    internal static double? Mean(IEnumerable<EpochRecord> records, int from, int to, Func<EpochRecord, double?> value)
    {
        var values = records.Where(r => r.Epoch >= from && r.Epoch <= to).Select(value)
            .Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        return values.Count > 0 ? values.Average() : null;
    }

    /// <summary>A window's mean projection and RMS cosine, from the epochs that recorded both (finite); null without one.</summary>
    private sealed record Alignment(double Projection, double RmsCosine)
    {
        public static Alignment? Over(IEnumerable<EpochRecord> records, int from, int to)
        {
            var sampled = records.Where(r => r.Epoch >= from && r.Epoch <= to
                                             && r.GradientProjection is { } p && double.IsFinite(p) && r.UpdateNormRatio is { } n && double.IsFinite(n))
                .Select(r => (Projection: r.GradientProjection!.Value, Length: r.UpdateNormRatio!.Value)).ToList();
            if (sampled.Count == 0) return null;
            double projection = sampled.Average(s => s.Projection), rms = Math.Sqrt(sampled.Average(s => s.Length * s.Length));
            return new Alignment(projection, rms > 0 ? projection / rms : double.NaN);
        }
    }

    /// <summary>The window a sweep's summaries use unless asked otherwise: a tenth of its epochs (100 of the study's
    /// 1000), at least one.</summary>
    public static int DefaultWindow(int epochs) => Math.Max(1, epochs / 10);
}
