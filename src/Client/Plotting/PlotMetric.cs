namespace GradGuessCluster.Client.Plotting;

/// <summary>What a plot draws: training accuracy (solid), test accuracy (dashed), both, or the cosine similarity of the
/// updates with the true gradient (where the sweep sampled it).</summary>
public enum PlotMetric
{
    Train,
    Test,
    Both,
    Cosine,
}
