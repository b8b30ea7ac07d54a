using System.Globalization;

namespace GradGuessCluster.Client.Plotting;

/// <summary>The vertical axis of a plot panel: its range, its grid lines (<see cref="Ticks"/>), where a value falls
/// (<see cref="Fraction"/>) and how its labels are written. Linear (accuracies, cosines: four grid intervals) or
/// logarithmic (losses: a grid line per decade).</summary>
public sealed record ValueAxis(double Min, double Max, string Format, bool Logarithmic = false)
{
    public static readonly ValueAxis Accuracy = new(0, 1, "0.00");

    private const int Intervals = 4;
    private const double Headroom = 1.05;
    private static readonly double[] RoundSteps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

    /// <summary>An axis for cosine similarities: four round grid steps from 0 (or below the lowest value, if negative,
    /// with 0 on a grid line) to 5 % or more above the highest, so that a method whose guesses reach 0.02 is not drawn
    /// flat on a 0–1 axis, and one at 1 (backprop) is not drawn along the frame.</summary>
    public static ValueAxis Around(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        double low = Math.Min(0, list.DefaultIfEmpty(0).Min()), high = Math.Max(0, list.DefaultIfEmpty(0).Max());
        if (high - low <= 0) return Accuracy;
        for (double step = RoundUp(Headroom * (high - low) / Intervals); ; step = RoundUp(step * 1.0001))
        {
            double min = low < 0 ? -Math.Ceiling(Headroom * -low / step - 1e-9) * step : 0, max = min + Intervals * step;
            if (max >= Headroom * high * (1 - 1e-12)) return new ValueAxis(min, max, FormatWith(Decimals(step, 2)));
        }
    }

    /// <summary>An axis over the values' own range: four round grid steps from at or below the lowest to 5 % of the range
    /// or more above the highest, with whole-number labels where the steps are whole. For effective ranks, which fall from
    /// 120 to 95 and would lie flat in the top fifth of an axis from 0.</summary>
    public static ValueAxis Spanning(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        if (list.Count == 0) return Accuracy;
        double low = list.Min(), high = list.Max(), span = high - low;
        if (span <= 0)
        {
            span = Math.Max(1, Math.Abs(high) * 0.1);   // a flat curve: in the middle of a band around it
            (low, high) = (low - span / 2, high + span / 2);
        }
        for (double step = RoundUp(Headroom * span / Intervals); ; step = RoundUp(step * 1.0001))
        {
            double min = Math.Floor(low / step + 1e-9) * step, max = min + Intervals * step;
            if (max >= high + (Headroom - 1) * span * (1 - 1e-9))
                return new ValueAxis(min, max, FormatWith(Decimals(step, 0)));
        }
    }

    /// <summary>A logarithmic axis from the decade at or below the smallest positive value to the decade above the
    /// largest: a loss falls over orders of magnitude, and on a linear axis everything after its first epochs lies
    /// along the bottom. No positive value: 0.01 to 10, around a fresh 10-class cross-entropy (2.3).</summary>
    public static ValueAxis Decades(IEnumerable<double> values)
    {
        var list = values.Where(v => double.IsFinite(v) && v > 0).ToList();
        if (list.Count == 0) return new ValueAxis(0.01, 10, "", Logarithmic: true);
        int low = (int)Math.Floor(Math.Log10(list.Min()) + 1e-9), high = (int)Math.Floor(Math.Log10(list.Max()) + 1e-9) + 1;
        return new ValueAxis(Math.Pow(10, low), Math.Pow(10, high), "", Logarithmic: true);
    }

    /// <summary>Where <paramref name="value"/> lies between <see cref="Min"/> (0) and <see cref="Max"/> (1), clamped.</summary>
    public double Fraction(double value) => Logarithmic
        ? (Math.Log10(Math.Clamp(value, Min, Max)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (Math.Clamp(value, Min, Max) - Min) / (Max - Min);

    /// <summary>The values with a grid line and a label: five, evenly spaced, on a linear axis; each decade on a
    /// logarithmic one, and 2× and 5× of each while the axis spans at most two decades.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            if (!Logarithmic) return Enumerable.Range(0, Intervals + 1).Select(i => Min + i / (double)Intervals * (Max - Min)).ToList();
            int low = (int)Math.Round(Math.Log10(Min)), high = (int)Math.Round(Math.Log10(Max));
            double[] multiples = high - low <= 2 ? [1, 2, 5] : [1];
            return Enumerable.Range(low, high - low + 1).SelectMany(d => multiples.Select(m => m * Math.Pow(10, d)))
                .Where(v => v <= Max * (1 + 1e-9)).ToList();
        }
    }

    /// <summary>A grid line's label: with the axis' decimals, or on a logarithmic axis as short as exact
    /// (0.01, 0.5, 10, 1e-05).</summary>
    public string Label(double value) => !Logarithmic
        ? value.ToString(Format, CultureInfo.InvariantCulture)
        : value is >= 1e-3 and < 1e5 ? value.ToString("0.###", CultureInfo.InvariantCulture) : value.ToString("0e+00", CultureInfo.InvariantCulture);

    /// <summary>The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above <paramref name="x"/> (&gt; 0).</summary>
    private static double RoundUp(double x)
    {
        double decade = Math.Pow(10, Math.Floor(Math.Log10(x)));
        foreach (var m in RoundSteps)
            if (m * decade >= x * (1 - 1e-12)) return m * decade;
        return 10 * decade;
    }

    /// <summary>A number format with exactly <paramref name="decimals"/> decimals ("0" for none).</summary>
    private static string FormatWith(int decimals) => decimals > 0 ? "0." + new string('0', decimals) : "0";

    /// <summary>Decimals that write every multiple of <paramref name="step"/> exactly (at least <paramref name="min"/>, at most 8).</summary>
    private static int Decimals(double step, int min)
    {
        int d = min;
        while (d < 8 && Math.Abs(step * Math.Pow(10, d) - Math.Round(step * Math.Pow(10, d))) > 1e-6) d++;
        return d;
    }
}
