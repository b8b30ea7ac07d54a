namespace GradGuessCluster.Client.Plotting;

/// <summary><c>plot --smooth N</c>: every series of a curve as the trailing mean of its last N points, the points fewer
/// at its start. An accuracy curve's last point is then what <c>results --window N</c> ranks (one seed; with several,
/// the mean over seeds of theirs), so a noisy curve (SGD at a large rate) reads as the trend its selection sees.</summary>
public static class CurveSmoothing
{
    public const int MaxPoints = 10_000;

    /// <summary><paramref name="curve"/> with every series smoothed over <paramref name="points"/> (1: as it is).</summary>
    public static PlotCurve Of(PlotCurve curve, int points) => points <= 1 ? curve : curve with
    {
        Train = Trailing(curve.Train, points),
        Test = Trailing(curve.Test, points),
        Cosine = Trailing(curve.Cosine, points),
        Loss = Trailing(curve.Loss, points),
        Rank = curve.Rank is { } rank ? Trailing(rank, points) : null,
        StepCosine = curve.StepCosine is { } step ? Trailing(step, points) : null,
        GradientShare = curve.GradientShare is { } share ? Trailing(share, points) : null,
    };

    /// <summary>Each point's value and seed spread averaged with the points before it, <paramref name="points"/> in all:
    /// the band is the seeds' typical spread over the window, not the spread of the smoothed mean.</summary>
    public static IReadOnlyList<PlotPoint> Trailing(IReadOnlyList<PlotPoint> series, int points)
    {
        var smoothed = new List<PlotPoint>(series.Count);
        double value = 0, spread = 0;
        for (int i = 0; i < series.Count; i++)
        {
            value += series[i].Value;
            spread += series[i].Spread;
            if (i >= points)
            {
                value -= series[i - points].Value;
                spread -= series[i - points].Spread;
            }
            int n = Math.Min(i + 1, points);
            smoothed.Add(new PlotPoint(series[i].Epoch, value / n, spread / n));
        }
        return smoothed;
    }
}
