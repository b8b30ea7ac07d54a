using GradGuessCluster.Client.Plotting;
using SkiaSharp;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Reads curves back from a plot PNG: which learning-rate colours each panel's plot area contains.</summary>
public static class PngCurves
{
    /// <summary>Palette colours with at least <paramref name="minPixels"/> pixels (within a small tolerance, to allow for
    /// antialiasing) in each panel's plot area; keyed by (row, column).</summary>
    public static Dictionary<(int Row, int Column), int> CountPaletteColours(SKBitmap bitmap, PlotLayout layout, int minPixels = 20)
    {
        var result = new Dictionary<(int, int), int>();
        for (int row = 0; row < layout.Rows; row++)
            for (int col = 0; col < layout.Columns; col++)
            {
                var area = layout.PlotArea(row, col);
                var pixels = new int[CurvePalette.Colors.Length];
                for (int y = (int)area.Top + 1; y < (int)area.Bottom; y++)
                    for (int x = (int)area.Left + 1; x < (int)area.Right; x++)
                    {
                        var c = bitmap.GetPixel(x, y);
                        for (int k = 0; k < CurvePalette.Colors.Length; k++)
                            if (Near(c, CurvePalette.Colors[k])) pixels[k]++;
                    }
                result[(row, col)] = pixels.Count(n => n >= minPixels);
            }
        return result;
    }

    /// <summary>The same colour, give or take antialiasing.</summary>
    public static bool Near(SKColor a, SKColor b) =>
        Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) <= 24;
}
