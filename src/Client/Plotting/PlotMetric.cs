namespace GradGuessCluster.Client.Plotting;

/// <summary>Which accuracy a plot draws: training (solid), test (dashed) or both.</summary>
public enum PlotMetric
{
    Train,
    Test,
    Both,
}
