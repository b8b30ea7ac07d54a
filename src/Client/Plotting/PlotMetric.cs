namespace GradGuessCluster.Client.Plotting;

/// <summary>What a plot draws: training accuracy (solid), test accuracy (dashed), both, the cosine similarity of the
/// updates with the true gradient (where the sweep sampled it), the training loss, or one weight matrix's effective rank.</summary>
public enum PlotMetric
{
    Train,
    Test,
    Both,
    Cosine,

    /// <summary>The training loss (the epoch's mean mini-batch cross-entropy), on a logarithmic axis.</summary>
    Loss,

    /// <summary>The effective rank of one weight matrix (where the sweep computed it): self-sharpening shows as a fall.</summary>
    Rank,

    /// <summary>The cosine of the optimizer's step (the parameters' change) with the descent direction, where sampled.</summary>
    StepCosine,

    /// <summary>One linear layer's fraction of the true gradient's squared norm, where sampled: where the gradient lies,
    /// against where an optimizer puts its step (AdamW: where the parameters are).</summary>
    GradientShare,
}
