using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Refinement;

/// <summary>Learning rates as a person would write them: the fewest significant digits that keep a value strictly inside
/// its interval (3e-3 for the geometric middle of 1e-3 and 1e-2, 1.4e-3 for that of 1e-3 and 2e-3), and distinct there in
/// float32, which training steps in (two rates one float32 apart would train the same cells twice).</summary>
internal static class RoundRate
{
    /// <summary><paramref name="target"/> rounded to the fewest significant digits that lie in the open interval
    /// (<paramref name="low"/>, <paramref name="high"/>) as float32 too; null where no float32 fits (an interval too narrow,
    /// or a value past float32's range).</summary>
    public static double? Within(double target, double low, double high)
    {
        for (int digits = 1; digits <= 17; digits++)
        {
            var rounded = double.Parse(target.ToString("E" + (digits - 1), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (rounded > low && rounded < high && LearningRateRules.Trainable(rounded) && (float)rounded != (float)low && (float)rounded != (float)high)
                return rounded;
        }
        return null;
    }

    /// <summary>The geometric middle of two rates, rounded as <see cref="Within"/> rounds, inside the middle half of their
    /// interval in log space (so 1e-3 and 1.9e-3 give 1.4e-3, not a 1e-3 twice).</summary>
    public static double? Between(double a, double b)
    {
        double low = Math.Min(a, b), ratio = Math.Max(a, b) / low;
        return Within(Math.Sqrt(a * b), low * Math.Pow(ratio, 0.25), low * Math.Pow(ratio, 0.75));
    }

    /// <summary><paramref name="from"/> times <paramref name="factor"/> (above or below 1), rounded as <see cref="Within"/>
    /// rounds, within half a step of the target in log space: the step stays about the grid's own.</summary>
    public static double? Beyond(double from, double factor)
    {
        double target = from * factor, half = Math.Sqrt(factor);
        return Within(target, Math.Min(target / half, target * half), Math.Max(target / half, target * half));
    }

}
