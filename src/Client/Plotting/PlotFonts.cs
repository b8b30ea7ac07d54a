using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>A typeface for labels. The Linux NoDependencies Skia build has no fontconfig, so look for common font files.</summary>
internal static class PlotFonts
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/noto/NotoSans-Regular.ttf",
    ];

    private static readonly Lazy<SKTypeface> Lazy = new(() =>
        Candidates.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null) ?? SKTypeface.Default);

    public static SKTypeface Typeface => Lazy.Value;
}
