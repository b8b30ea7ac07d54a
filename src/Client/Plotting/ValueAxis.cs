namespace GradGuessCluster.Client.Plotting;

/// <summary>The vertical axis of a plot panel: its range (four grid intervals) and how its labels are written.</summary>
public sealed record ValueAxis(double Min, double Max, string Format)
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
            if (max >= Headroom * high * (1 - 1e-12)) return new ValueAxis(min, max, "0." + new string('0', Decimals(step)));
        }
    }

    /// <summary>The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above <paramref name="x"/> (&gt; 0).</summary>
    private static double RoundUp(double x)
    {
        double decade = Math.Pow(10, Math.Floor(Math.Log10(x)));
        foreach (var m in RoundSteps)
            if (m * decade >= x * (1 - 1e-12)) return m * decade;
        return 10 * decade;
    }

    /// <summary>Decimals that write every multiple of <paramref name="step"/> exactly (at least 2, at most 8).</summary>
    private static int Decimals(double step)
    {
        int d = 2;
        while (d < 8 && Math.Abs(step * Math.Pow(10, d) - Math.Round(step * Math.Pow(10, d))) > 1e-6) d++;
        return d;
    }
}
