namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One cell's record of one epoch (epochs count from 1), stored once per (cell, epoch).</summary>
/// <param name="TrainAccuracy">Null when the epoch was not evaluated, or when the cell diverged in it (NaN weights score
/// about chance; so are the test accuracy and effective rank).</param>
/// <param name="CosineSimilarity">Mean cosine similarity with the true gradient over the sampled steps; null when none.</param>
/// <param name="GradientProjection">Mean over the sampled steps of the update's projection on the true gradient in units
/// of it (1 for backprop); null when none was sampled, or recorded before it was measured.</param>
/// <param name="UpdateNormRatio">RMS over the sampled steps of the update's length in units of the gradient's; the
/// projection over it is the cosine AdamW's second moment sees.</param>
/// <param name="StepCosine">Mean over the sampled steps of the cosine of the parameters' change with −g (the optimizer's
/// step, weight decay included).</param>
/// <param name="LayerStepCosine">The same per linear layer, input layer first; null when none was sampled, or recorded
/// before it was measured.</param>
/// <param name="LayerGradientShare">Mean over the sampled steps of each linear layer's fraction of the true gradient's
/// squared norm, input layer first (the fractions sum to 1); likewise the update's and the optimizer step's. Null as
/// <see cref="LayerStepCosine"/> is.</param>
/// <param name="Seconds">Wall time of the epoch's training pass (evaluation excluded).</param>
/// <param name="Diverged">The loss, the weights, the optimizer's state or the evaluation's logits became NaN/inf in this
/// epoch: the cell's last record.</param>
[GenerateSerializer, Immutable, Alias("gg.EpochRecord")]
public sealed record EpochRecord(
    [property: Id(0)] string CellId,
    [property: Id(1)] int Epoch,
    [property: Id(2)] double TrainLoss,
    [property: Id(3)] double? TrainAccuracy,
    [property: Id(4)] double? TestAccuracy,
    [property: Id(5)] double? CosineSimilarity,
    [property: Id(6)] double[]? LayerCosine,
    [property: Id(7)] double[]? EffectiveRank,
    [property: Id(8)] double Seconds,
    [property: Id(9)] double EvalSeconds,
    [property: Id(10)] long Samples,
    [property: Id(11)] bool Diverged,
    [property: Id(12)] double? GradientProjection = null,
    [property: Id(13)] double? UpdateNormRatio = null,
    [property: Id(14)] double? StepCosine = null,
    [property: Id(15)] double[]? LayerStepCosine = null,
    [property: Id(16)] double[]? LayerGradientShare = null,
    [property: Id(17)] double[]? LayerUpdateShare = null,
    [property: Id(18)] double[]? LayerStepShare = null);
