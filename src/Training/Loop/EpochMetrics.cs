namespace GradGuessCluster.Training.Loop;

/// <summary>One cell's record of one epoch. Epochs count from 1.</summary>
/// <param name="TrainAccuracy">On the full training set in inference mode; null when the epoch was not evaluated, or when
/// the cell diverged in it (NaN weights have no meaningful accuracy).</param>
/// <param name="TrainLoss">Mean training mini-batch loss over the epoch.</param>
/// <param name="CosineSimilarity">Mean cosine similarity of the update with the true gradient over the sampled steps; null when none.</param>
/// <param name="LayerCosine">The same, per linear layer.</param>
/// <param name="EffectiveRank">Effective rank of each weight matrix at the end of the epoch, when enabled and the cell did
/// not diverge.</param>
/// <param name="Seconds">Wall time of the epoch's training pass (evaluation excluded); shared by the pack.</param>
/// <param name="EvalSeconds">Wall time of the evaluation.</param>
/// <param name="Diverged">The loss, the weights, the optimizer's state or the evaluation's logits became NaN/inf: the
/// cell's final state.</param>
/// <param name="GradientProjection">Mean over the sampled steps of the update's projection on the true gradient in units
/// of it, ⟨u,g⟩/‖g‖² (1 for backprop; 1 in expectation for an unbiased guess); null when none.</param>
/// <param name="UpdateNormRatio">RMS over the sampled steps of the update's length in units of the gradient's, ‖u‖/‖g‖.
/// <see cref="GradientProjection"/> / this is the cosine that AdamW's second moment sees (Diagnostics.GradientAlignment).</param>
/// <param name="StepCosine">Mean over the sampled steps of the cosine of the parameters' change with −g: what the
/// optimizer made of the update (momentum, AdamW's per-coordinate scaling, weight decay).</param>
/// <param name="LayerStepCosine">The same, per linear layer.</param>
/// <param name="LayerGradientShare">Mean over the sampled steps of each linear layer's fraction of the true gradient's
/// squared norm (the fractions sum to 1); likewise of the update's and of the step's. With the per-layer cosines they
/// say where an overall cosine is lost: the overall cosine is Σ_l cos_l·√(a_l·b_l) (Diagnostics.LayerShares).</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? TestAccuracy,
    double? CosineSimilarity,
    IReadOnlyList<double>? LayerCosine,
    IReadOnlyList<double>? EffectiveRank,
    double Seconds,
    double EvalSeconds,
    long Samples,
    bool Diverged,
    double? GradientProjection = null,
    double? UpdateNormRatio = null,
    double? StepCosine = null,
    IReadOnlyList<double>? LayerStepCosine = null,
    IReadOnlyList<double>? LayerGradientShare = null,
    IReadOnlyList<double>? LayerUpdateShare = null,
    IReadOnlyList<double>? LayerStepShare = null);
