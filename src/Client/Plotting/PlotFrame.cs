using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>What the plots draw around their data alike: the greys of axes, grid lines and text, the title, the value
/// axis up a panel's left side (whatever runs along its foot: epochs, learning rates), and the legend's colour swatches.</summary>
internal static class PlotFrame
{
    public static readonly SKColor Axis = new(0x20, 0x20, 0x20), Grid = new(0xe4, 0xe4, 0xe4), Text = new(0x10, 0x10, 0x10);

    private const float TitleMargin = 10;   // pixels left clear at each side of the title

    /// <summary>The title centred across the top. A long one (a long sweep name, a layer, --against) on a narrow image
    /// shrinks to fit instead of losing both ends.</summary>
    public static void DrawTitle(SKCanvas canvas, string title, int width, SKPaint textPaint)
    {
        using var font = new SKFont(PlotFonts.Typeface, 20);
        float measured = font.MeasureText(title);
        if (measured > width - 2 * TitleMargin) font.Size = Math.Max(8f, font.Size * (width - 2 * TitleMargin) / measured);
        canvas.DrawText(title, width / 2f, 28, SKTextAlign.Center, font, textPaint);
    }

    /// <summary>The title, then a row of panels, one per optimizer in <paramref name="series"/>' order of first appearance,
    /// each named over its plot area, which <paramref name="drawPanel"/> fills with that optimizer's series and the
    /// method's index (its colour); the layout, for the legend under them.</summary>
    public static PlotLayout OptimizerPanels<T>(SKCanvas canvas, string title, int width, int height, IReadOnlyList<T> series,
        Func<T, string> optimizer, SKFont font, SKPaint textPaint, Action<SKRect, IReadOnlyList<T>> drawPanel)
    {
        var optimizers = series.Select(optimizer).Distinct().ToList();
        var layout = new PlotLayout(width, height, 1, optimizers.Count);
        DrawTitle(canvas, title, width, textPaint);
        for (int col = 0; col < optimizers.Count; col++)
        {
            var bounds = layout.PanelBounds(0, col);
            canvas.DrawText(optimizers[col], bounds.MidX, bounds.Top + 18, SKTextAlign.Center, font, textPaint);
            drawPanel(layout.PlotArea(0, col), [.. series.Where(s => optimizer(s) == optimizers[col])]);
        }
        return layout;
    }

    /// <summary>"train accuracy", "test accuracy" or both with their line styles, as the legend of a plot of
    /// <paramref name="test"/>-flagged lines says it.</summary>
    public static string AccuracyStyles<T>(IReadOnlyList<T> series, Func<T, bool> test) =>
        series.Any(s => !test(s)) && series.Any(test) ? "solid: train accuracy, dashed: test accuracy"
        : series.Any(test) ? "test accuracy" : "train accuracy";

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

    /// <summary>The legend band: <paramref name="note"/> (what the line styles mean) at its right, and from its left a swatch
    /// of each palette colour in turn with its label, up to the note. What does not fit on one line goes on two, in a
    /// smaller font where two lines do not hold it either (a grid of 18 rates ran into the note).</summary>
    /// <param name="labels">One per colour, in palette order.</param>
    public static void DrawLegend(SKCanvas canvas, SKRect bounds, IReadOnlyList<string> labels, string note, SKFont font, SKPaint textPaint)
    {
        canvas.DrawText(note, bounds.Right - 20, bounds.MidY + 4, SKTextAlign.Right, font, textPaint);
        float right = bounds.Right - 40 - font.MeasureText(note);
        float left = bounds.Left + 20, width = right - left;
        using var sized = new SKFont(font.Typeface, font.Size);
        var rows = SwatchRows(labels, width, text => sized.MeasureText(text));
        while (rows.Count > 2 && sized.Size > MinLegendFont)
        {
            sized.Size -= 1;
            rows = SwatchRows(labels, width, text => sized.MeasureText(text));
        }
        float lineHeight = rows.Count == 1 ? 0 : Math.Min(18, (bounds.Height - 4) / rows.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            float x = left, y = bounds.MidY + (r - (rows.Count - 1) / 2f) * lineHeight;
            foreach (var i in rows[r])
            {
                using var swatch = new SKPaint { Color = CurvePalette.For(i, labels.Count), StrokeWidth = 4, Style = SKPaintStyle.Stroke };
                canvas.DrawLine(x, y, x + 24, y, swatch);
                canvas.DrawText(labels[i], x + 30, y + 4, SKTextAlign.Left, sized, textPaint);
                x += SwatchWidth(labels[i], text => sized.MeasureText(text));
            }
        }
    }

    private const float MinLegendFont = 8;

    /// <summary>The labels' indices in lines no wider than <paramref name="width"/> (a label wider than that alone has a
    /// line of its own), in order.</summary>
    public static List<List<int>> SwatchRows(IReadOnlyList<string> labels, float width, Func<string, float> measure)
    {
        var rows = new List<List<int>> { new() };
        float used = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            float w = SwatchWidth(labels[i], measure);
            if (rows[^1].Count > 0 && used + w - Spacing > width)
            {
                rows.Add([]);
                used = 0;
            }
            rows[^1].Add(i);
            used += w;
        }
        return rows;
    }

    /// <summary>A swatch, its label and the space before the next.</summary>
    private static float SwatchWidth(string label, Func<string, float> measure) => 30 + measure(label) + Spacing;

    private const float Spacing = 24;

    public static float Y(SKRect area, ValueAxis axis, double value) => area.Bottom - (float)axis.Fraction(value) * area.Height;
}
