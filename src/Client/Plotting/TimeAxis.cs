using System.Globalization;

namespace GradGuessCluster.Client.Plotting;

/// <summary>The horizontal axis of <c>plot --time</c>: from 0 to a round end at or past the longest time, its grid lines
/// at a round step (1, 2 or 5 times a power of ten) of the unit the span reads best in: seconds up to three minutes,
/// minutes up to three hours, hours beyond.</summary>
public sealed record TimeAxis(double Max, double Step, double Unit, string UnitName)
{
    private const int MaxIntervals = 6;

    public static TimeAxis Spanning(double seconds)
    {
        seconds = double.IsFinite(seconds) && seconds > 0 ? seconds : 1;
        var (unit, name) = seconds <= 180 ? (1.0, "s") : seconds <= 3 * 3600 ? (60.0, "min") : (3600.0, "h");
        double span = seconds / unit;
        double step = RoundSteps(span).First(s => Math.Ceiling(span / s - 1e-9) <= MaxIntervals);
        return new TimeAxis(Math.Ceiling(span / step - 1e-9) * step * unit, step * unit, unit, name);
    }

    /// <summary>1, 2, 5, 10, 20, 50, ... from the power of ten below a sixth of the span.</summary>
    private static IEnumerable<double> RoundSteps(double span)
    {
        for (double power = Math.Pow(10, Math.Floor(Math.Log10(span / MaxIntervals))); ; power *= 10)
            foreach (var m in new[] { 1.0, 2, 5 })
                yield return m * power;
    }

    public IEnumerable<double> Ticks
    {
        get
        {
            for (int i = 0; i * Step <= Max * (1 + 1e-9); i++) yield return i * Step;
        }
    }

    /// <summary>Where <paramref name="seconds"/> falls along the axis, 0 to 1.</summary>
    public double Fraction(double seconds) => seconds / Max;

    /// <summary>"30 s", "2.5 min", "4 h".</summary>
    public string Label(double seconds) => (seconds / Unit).ToString("0.##", CultureInfo.InvariantCulture) + " " + UnitName;
}
