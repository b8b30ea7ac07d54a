namespace GradGuessCluster.Client.Export;

/// <summary>One row of the long-format export (SPEC §6): one cell at one evaluated epoch (or any stored epoch, with
/// <c>export --all-epochs</c>).</summary>
/// <param name="Seconds">Wall time of the epoch's training pass, shared by every cell of a pack.</param>
/// <param name="Status">The cell's state in its sweep's ledger (completed, diverged, running, ...).</param>
/// <param name="EffectiveRank">Per weight matrix, input layer first; null when not computed.</param>
/// <param name="LayerCosine">Cosine similarity with the true gradient per linear layer; null when not sampled.</param>
/// <param name="GradientProjection">The update's mean projection on the true gradient, in units of it; null when not sampled.</param>
/// <param name="UpdateNormRatio">The update's RMS length in units of the true gradient's; null when not sampled.</param>
/// <param name="StepCosine">Mean cosine of the optimizer's step (the parameters' change) with −g; null when not sampled.</param>
/// <param name="LayerStepCosine">The same per linear layer, input layer first; null when not sampled.</param>
/// <param name="LayerGradientShare">Each layer's mean fraction of the true gradient's squared norm; likewise the update's
/// and the step's; null when not sampled.</param>
public sealed record CurveRow(
    string Sweep,
    string CellId,
    string Method,
    string Optimizer,
    double Lr,
    int Seed,
    int Epoch,
    double? TrainAccuracy,
    double? TestAccuracy,
    double TrainLoss,
    double? CosineSimilarity,
    double Seconds,
    string Status,
    IReadOnlyList<double>? EffectiveRank = null,
    IReadOnlyList<double>? LayerCosine = null,
    double? GradientProjection = null,
    double? UpdateNormRatio = null,
    double? StepCosine = null,
    IReadOnlyList<double>? LayerStepCosine = null,
    IReadOnlyList<double>? LayerGradientShare = null,
    IReadOnlyList<double>? LayerUpdateShare = null,
    IReadOnlyList<double>? LayerStepShare = null);
