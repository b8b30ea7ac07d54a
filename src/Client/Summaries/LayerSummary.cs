using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Summaries;

/// <summary>One linear layer of a cell over its first and last window of epochs (<c>diagnostics --layers</c>): the
/// guess's and the optimizer step's cosine with the true gradient inside the layer, and the layer's fraction of the true
/// gradient's, the guess's and the step's squared norm. Whether alignment is lost inside the layers or between them
/// (docs/STUDY.md, "Where the step's alignment goes"): the overall cosine is Σ_l cos_l·√(a_l·b_l).</summary>
/// <param name="Layer">Input layer 0, output layer last.</param>
/// <param name="CosineFirst">Mean of the sampled epochs' <see cref="EpochRecord.LayerCosine"/> over the first window;
/// each pair likewise, null where no epoch of the window recorded the figure.</param>
public sealed record LayerSummary(
    int Layer,
    double? CosineFirst, double? CosineLast,
    double? StepCosineFirst, double? StepCosineLast,
    double? GradientShareFirst, double? GradientShareLast,
    double? UpdateShareFirst, double? UpdateShareLast,
    double? StepShareFirst, double? StepShareLast)
{
    /// <summary>Each layer's summary over epochs 1..<paramref name="window"/> and the last <paramref name="window"/> up to
    /// <paramref name="last"/>; empty when no record has per-layer figures (none sampled, or stored before they were).</summary>
    public static IReadOnlyList<LayerSummary> From(IReadOnlyList<EpochRecord> records, int window, int last)
    {
        int layers = records.Select(r => Math.Max(r.LayerCosine?.Length ?? 0, r.LayerStepCosine?.Length ?? 0)).DefaultIfEmpty(0).Max();
        int from = last - window + 1;
        return Enumerable.Range(0, layers).Select(l => new LayerSummary(l,
            Mean(records, 1, window, r => r.LayerCosine, l), Mean(records, from, last, r => r.LayerCosine, l),
            Mean(records, 1, window, r => r.LayerStepCosine, l), Mean(records, from, last, r => r.LayerStepCosine, l),
            Mean(records, 1, window, r => r.LayerGradientShare, l), Mean(records, from, last, r => r.LayerGradientShare, l),
            Mean(records, 1, window, r => r.LayerUpdateShare, l), Mean(records, from, last, r => r.LayerUpdateShare, l),
            Mean(records, 1, window, r => r.LayerStepShare, l), Mean(records, from, last, r => r.LayerStepShare, l))).ToList();
    }

    /// <summary>The mean of layer <paramref name="layer"/>'s finite values recorded in epochs <paramref name="from"/> to
    /// <paramref name="to"/> (a diverged epoch's NaN left out), as <see cref="CellSummary"/>'s whole-net figures.</summary>
    private static double? Mean(IEnumerable<EpochRecord> records, int from, int to, Func<EpochRecord, double[]?> figures, int layer) =>
        CellSummary.Mean(records, from, to, r => figures(r) is { } f && layer < f.Length ? f[layer] : null);

    /// <summary>Σ_l √(a_l·b_l) of the true gradient's and the step's shares over the first window: the most the step's
    /// cosine could be were it aligned inside every layer; null where a layer lacks either share.</summary>
    public static double? StepOverlapFirst(IReadOnlyList<LayerSummary> layers) => Overlap(layers, l => (l.GradientShareFirst, l.StepShareFirst));

    /// <summary>The same over the last window.</summary>
    public static double? StepOverlapLast(IReadOnlyList<LayerSummary> layers) => Overlap(layers, l => (l.GradientShareLast, l.StepShareLast));

    private static double? Overlap(IReadOnlyList<LayerSummary> layers, Func<LayerSummary, (double? A, double? B)> shares)
    {
        var pairs = layers.Select(shares).ToList();
        return pairs.Count == 0 || pairs.Any(p => p.A is null || p.B is null) ? null : pairs.Sum(p => Math.Sqrt(p.A!.Value * p.B!.Value));
    }
}
