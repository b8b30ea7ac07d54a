namespace GradGuessCluster.Client.Plotting;

/// <summary>One point of a plotted curve: the mean over seeds at an epoch, and the seeds' sample standard deviation
/// there (0 with one seed), drawn as a band around the line.</summary>
public readonly record struct PlotPoint(int Epoch, double Value, double Spread);
