using System.Globalization;

namespace GradGuessCluster.Client.Rendering;

/// <summary>Cell-epochs done as a percentage, rounded down: 1195 of 1200 rounded to "100" and read as finished.</summary>
internal static class ProgressPercent
{
    /// <summary>"26", or "26.4" with one decimal; "100" only when every epoch is done (or there are none).</summary>
    public static string Text(long done, long total, int decimals)
    {
        if (total <= 0 || done >= total) return (100.0).ToString("F" + decimals, CultureInfo.InvariantCulture);
        var scale = Math.Pow(10, decimals);
        return (Math.Floor(100.0 * done / total * scale) / scale).ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
