using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>
/// <c>plot SWEEP --time</c>: accuracy against training time per cell, the view in which a cheaper method's extra epochs
/// count. A panel per optimizer, a line per method (its colour) through its best learning rate's evaluated epochs, solid
/// for the train accuracy and dashed for the test, on one time axis shared by the panels, so that panels compare too.
/// </summary>
public static class TimePlot
{
    /// <summary>"fmnist-quick: train and test accuracy against training time per cell, each method at its best learning rate
    /// by final train accuracy".</summary>
    public static string Title(string sweep, PlotMetric metric, SelectionSpec rule)
    {
        var what = metric switch { PlotMetric.Train => "train accuracy", PlotMetric.Test => "test accuracy", _ => "train and test accuracy" };
        return $"{sweep}: {what} against training time per cell, each method at its best learning rate by {ResultsTable.Rule(rule)}";
    }

    public static byte[] Render(PlotFormat format, string title, IReadOnlyList<TimeSeries> series, int width, int height)
    {
        if (series.Count == 0) throw new ArgumentException("no series to plot", nameof(series));
        return PlotImage.Render(format, width, height, canvas => Draw(canvas, title, series, width, height));
    }

    private static void Draw(SKCanvas canvas, string title, IReadOnlyList<TimeSeries> series, int width, int height)
    {
        var methods = series.Select(s => s.Method).Distinct().ToList();
        var time = TimeAxis.Spanning(series.SelectMany(s => s.Points).Select(p => p.Seconds).DefaultIfEmpty(1).Max());
        using var font = new SKFont(PlotFonts.Typeface, 12);
        using var textPaint = new SKPaint { Color = PlotFrame.Text, IsAntialias = true };
        var layout = PlotFrame.OptimizerPanels(canvas, title, width, height, series, s => s.Optimizer, font, textPaint, (area, panel) =>
        {
            DrawAxes(canvas, area, time, font, textPaint);
            foreach (var s in panel) DrawSeries(canvas, area, time, s, methods.IndexOf(s.Method));
        });
        PlotFrame.DrawLegend(canvas, layout.LegendBounds, methods, PlotFrame.AccuracyStyles(series, s => s.Test) + "; each method at its best learning rate",
            font, textPaint);
    }

    private static void DrawAxes(SKCanvas canvas, SKRect area, TimeAxis time, SKFont font, SKPaint textPaint)
    {
        using var grid = new SKPaint { Color = PlotFrame.Grid, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var axis = new SKPaint { Color = PlotFrame.Axis, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        PlotFrame.DrawValueTicks(canvas, area, ValueAxis.Accuracy, font, textPaint, grid);
        foreach (var tick in time.Ticks)
        {
            float x = X(area, time, tick);
            canvas.DrawLine(x, area.Top, x, area.Bottom, grid);
            canvas.DrawText(time.Label(tick), x, area.Bottom + 15, SKTextAlign.Center, font, textPaint);
        }
        canvas.DrawRect(area, axis);
        canvas.DrawText("training time per cell", area.MidX, area.Bottom + 30, SKTextAlign.Center, font, textPaint);
    }

    /// <param name="method">The method's index: its colour.</param>
    private static void DrawSeries(SKCanvas canvas, SKRect area, TimeAxis time, TimeSeries series, int method)
    {
        if (series.Points.Count == 0) return;
        var color = CurvePalette.For(method);
        using var line = new SKPaint { Color = color, StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        if (series.Test) line.PathEffect = SKPathEffect.CreateDash([7, 5], 0);
        using var path = new SKPath();
        foreach (var (p, i) in series.Points.Select((p, i) => (p, i)))
        {
            float x = X(area, time, p.Seconds), y = PlotFrame.Y(area, ValueAxis.Accuracy, p.Accuracy);
            if (i == 0) path.MoveTo(x, y); else path.LineTo(x, y);
        }
        canvas.DrawPath(path, line);
        if (series.Points.Count == 1)   // one evaluation: a dot, where a line would be nothing
        {
            using var dot = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
            var p = series.Points[0];
            canvas.DrawCircle(X(area, time, p.Seconds), PlotFrame.Y(area, ValueAxis.Accuracy, p.Accuracy), 3.5f, dot);
        }
    }

    private static float X(SKRect area, TimeAxis time, double seconds) => area.Left + (float)time.Fraction(seconds) * area.Width;
}
