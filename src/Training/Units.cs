using System.Globalization;

namespace GradGuessCluster.Training;

/// <summary>Sizes and work as people read them, alike in plans, warnings and refusals.</summary>
public static class Units
{
    /// <summary>"12.3 TFLOP", "842 GFLOP": three significant figures.</summary>
    public static string Flops(double flops) => Scaled(flops, 1000, ["FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP"]);

    /// <summary>"1 learning rate", "3 learning rates": a count and its noun, singular only for one.</summary>
    public static string Count(long n, string noun, string? plural = null) =>
        $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? noun : plural ?? noun + "s")}";

    /// <summary>"1.9 MiB", "34 GiB".</summary>
    public static string Bytes(long bytes) => Scaled(bytes, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]);

    /// <summary>"462", "48.3", "4.83": three significant figures for a value under 1000 (no fewer than two decimals below 10).</summary>
    public static string Figures(double value) =>
        value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    /// <summary>"a, b and c" ("a" alone, "a and b").</summary>
    public static string Listed(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.SkipLast(1))} and {names[^1]}";

    private static string Scaled(double value, double step, string[] units)
    {
        int i = 0;
        while (value >= step * 0.9995 && i < units.Length - 1) { value /= step; i++; }   // 999.6 GFLOP shows as 1.00 TFLOP
        return $"{(i == 0 ? value.ToString("F0", CultureInfo.InvariantCulture) : Figures(value))} {units[i]}";
    }
}
