namespace GradGuessCluster.Client.Plotting;

/// <summary>What a plot draws: training accuracy (solid), test accuracy (dashed), both, the cosine similarity of the
/// updates with the true gradient (where the sweep sampled it), or the training loss.</summary>
public enum PlotMetric
{
    Train,
    Test,
    Both,
    Cosine,

    /// <summary>The training loss (the epoch's mean mini-batch cross-entropy), on a logarithmic axis.</summary>
    Loss,
}
