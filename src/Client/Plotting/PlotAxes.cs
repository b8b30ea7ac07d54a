using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>What the plots' panels share: the greys of axes, grid lines and text, and the value axis up a panel's left
/// side (whatever runs along its foot: epochs, learning rates).</summary>
internal static class PlotAxes
{
    public static readonly SKColor Axis = new(0x20, 0x20, 0x20), Grid = new(0xe4, 0xe4, 0xe4), Text = new(0x10, 0x10, 0x10);

    /// <summary>A grid line across <paramref name="area"/> at each of the axis's ticks, labelled to its left.</summary>
    public static void DrawValueTicks(SKCanvas canvas, SKRect area, ValueAxis values, SKFont font, SKPaint textPaint, SKPaint grid)
    {
        foreach (var tick in values.Ticks)
        {
            float y = Y(area, values, tick);
            canvas.DrawLine(area.Left, y, area.Right, y, grid);
            canvas.DrawText(values.Label(tick), area.Left - 6, y + 4, SKTextAlign.Right, font, textPaint);
        }
    }

    public static float Y(SKRect area, ValueAxis axis, double value) => area.Bottom - (float)axis.Fraction(value) * area.Height;
}
