using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>One method's scores over the learning rates in one optimizer's panel, for one accuracy (train or test), as
/// <c>results --rates</c> gives them; <paramref name="Best"/> is the rate that accuracy ranks first.</summary>
public sealed record RateSeries(string Method, string Optimizer, bool Test, IReadOnlyList<RateScore> Rates, double? Best);

/// <summary>
/// <c>plot SWEEP --rates</c>: accuracy against learning rate, the view a learning-rate grid is read by. A panel per
/// optimizer, a line per method (its colour) through its scored rates on a logarithmic axis with a tick at each of its
/// panel's rates (labelled where the labels fit); solid for the train accuracy, dashed for the test; bars of ± the seeds' standard deviation, a ring on
/// each line's best rate, and an × at the foot of the panel for a rate that diverged. A rate with no score (failed,
/// pending) leaves a gap in its line rather than joining its neighbours across it.
/// </summary>
public static class RatesPlot
{
    /// <summary>Where <paramref name="lr"/> sits across a panel's plot area (0 left edge, 1 right edge): the grid's rates
    /// on a log scale, half the narrowest gap between two of them (half a decade for one rate) left clear at each side.</summary>
    public static double Position(IReadOnlyList<double> lrs, double lr)
    {
        var logs = lrs.Select(Math.Log10).Order().ToList();
        double pad = logs.Count < 2 ? 0.5 : logs.Zip(logs.Skip(1), (a, b) => b - a).Min() / 2;
        return (Math.Log10(lr) - (logs[0] - pad)) / (logs[^1] - logs[0] + 2 * pad);
    }

    /// <summary>The rates whose labels fit under a plot area <paramref name="width"/> wide: the decades first, then the
    /// rest from the left, each clear of those placed before it (a refined grid's 2e-3 beside 3e-3 would print over it).
    /// Every rate keeps its grid line.</summary>
    public static IReadOnlyList<double> Labelled(IReadOnlyList<double> lrs, float width, Func<string, float> measure)
    {
        const float gap = 6;
        var placed = new List<(double Lr, float Left, float Right)>();
        foreach (var lr in lrs.Distinct().OrderBy(lr => IsDecade(lr) ? 0 : 1).ThenBy(lr => lr))
        {
            float x = (float)(Position(lrs, lr) * width), half = measure(ResultsTable.Lr(lr)) / 2;
            if (placed.All(p => x + half + gap <= p.Left || x - half - gap >= p.Right)) placed.Add((lr, x - half, x + half));
        }
        return [.. placed.Select(p => p.Lr).Order()];
    }

    private static bool IsDecade(double lr) => Math.Abs(Math.Log10(lr) - Math.Round(Math.Log10(lr))) < 1e-9;

    public static byte[] RenderPng(string title, IReadOnlyList<RateSeries> series, int width, int height) =>
        Render(PlotFormat.Png, title, series, width, height);

    public static byte[] Render(PlotFormat format, string title, IReadOnlyList<RateSeries> series, int width, int height)
    {
        if (series.Count == 0) throw new ArgumentException("no series to plot", nameof(series));
        return PlotImage.Render(format, width, height, canvas => Draw(canvas, title, series, width, height));
    }

    private static void Draw(SKCanvas canvas, string title, IReadOnlyList<RateSeries> series, int width, int height)
    {
        var methods = series.Select(s => s.Method).Distinct().ToList();
        var axis = ValueAxis.Accuracy;
        using var font = new SKFont(PlotFonts.Typeface, 12);
        using var textPaint = new SKPaint { Color = PlotFrame.Text, IsAntialias = true };
        var layout = PlotFrame.OptimizerPanels(canvas, title, width, height, series, s => s.Optimizer, font, textPaint, (area, panel) =>
        {
            // The panel's own rates: with rowRates, one optimizer's rows may train rates another's do not.
            var lrs = panel.SelectMany(s => s.Rates.Select(r => r.LearningRate)).Distinct().ToList();
            DrawAxes(canvas, area, lrs, axis, font, textPaint);
            var crosses = new Crosses();
            foreach (var s in panel)
                DrawSeries(canvas, area, lrs, axis, s, methods.IndexOf(s.Method), crosses);
        });
        DrawLegend(canvas, layout.LegendBounds, methods, series, font, textPaint);
    }

    private static void DrawAxes(SKCanvas canvas, SKRect area, IReadOnlyList<double> lrs, ValueAxis values, SKFont font, SKPaint textPaint)
    {
        using var grid = new SKPaint { Color = PlotFrame.Grid, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var axis = new SKPaint { Color = PlotFrame.Axis, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        PlotFrame.DrawValueTicks(canvas, area, values, font, textPaint, grid);
        foreach (var x in lrs.Select(lr => X(area, lrs, lr))) canvas.DrawLine(x, area.Top, x, area.Bottom, grid);
        foreach (var lr in Labelled(lrs, area.Width, text => font.MeasureText(text)))
            canvas.DrawText(ResultsTable.Lr(lr), X(area, lrs, lr), area.Bottom + 15, SKTextAlign.Center, font, textPaint);
        canvas.DrawRect(area, axis);
        canvas.DrawText("learning rate", area.MidX, area.Bottom + 30, SKTextAlign.Center, font, textPaint);
    }

    /// <param name="method">The method's index: its colour.</param>
    private static void DrawSeries(SKCanvas canvas, SKRect area, IReadOnlyList<double> lrs, ValueAxis axis, RateSeries series, int method,
        Crosses crosses)
    {
        var color = CurvePalette.For(method);
        using var line = new SKPaint { Color = color, StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        if (series.Test) line.PathEffect = SKPathEffect.CreateDash([7, 5], 0);
        using var thin = new SKPaint { Color = color, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        using var dot = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
        // In the grid's order of rates (small to large along the axis), broken wherever a rate has no score.
        var ordered = series.Rates.OrderBy(r => r.LearningRate).ToList();
        using var path = new SKPath();
        bool open = false;
        foreach (var rate in ordered)
        {
            float x = X(area, lrs, rate.LearningRate);
            if (rate.Score is not { } score)
            {
                open = false;
                if (rate.Outcome == RateOutcome.Diverged && crosses.Next(rate.LearningRate, method) is { } level)
                    DrawCross(canvas, x, area.Bottom - 8 - 14 * level, thin);
                continue;
            }
            float y = PlotFrame.Y(area, axis, score);
            if (open) path.LineTo(x, y); else path.MoveTo(x, y);
            open = true;
            canvas.DrawCircle(x, y, 3.5f, dot);
            if (rate.ScoreStd is > 0 and var std)
            {
                float top = PlotFrame.Y(area, axis, Math.Min(1, score + std)), bottom = PlotFrame.Y(area, axis, Math.Max(0, score - std));
                canvas.DrawLine(x, top, x, bottom, thin);
                canvas.DrawLine(x - 4, top, x + 4, top, thin);
                canvas.DrawLine(x - 4, bottom, x + 4, bottom, thin);
            }
            if (rate.LearningRate == series.Best) canvas.DrawCircle(x, y, 7.5f, thin);
        }
        canvas.DrawPath(path, line);
    }

    /// <summary>A panel's crosses: one per method and diverged rate (its train and test lines share it), stacked upwards
    /// from the foot where several methods diverged at one rate.</summary>
    private sealed class Crosses
    {
        private readonly HashSet<(double Lr, int Method)> _drawn = [];
        private readonly Dictionary<double, int> _stacked = [];

        /// <summary>The level of the next cross at <paramref name="lr"/>, or null where the method has one there.</summary>
        public int? Next(double lr, int method)
        {
            if (!_drawn.Add((lr, method))) return null;
            int level = _stacked.GetValueOrDefault(lr);
            _stacked[lr] = level + 1;
            return level;
        }
    }

    private static void DrawCross(SKCanvas canvas, float x, float y, SKPaint paint)
    {
        canvas.DrawLine(x - 5, y - 5, x + 5, y + 5, paint);
        canvas.DrawLine(x - 5, y + 5, x + 5, y - 5, paint);
    }

    private static void DrawLegend(SKCanvas canvas, SKRect bounds, IReadOnlyList<string> methods, IReadOnlyList<RateSeries> series,
        SKFont font, SKPaint textPaint)
    {
        var styles = PlotFrame.AccuracyStyles(series, s => s.Test) + "; ring: each line's best" +
                     (series.Any(s => s.Rates.Any(r => r.ScoreStd > 0)) ? "; bars: ± standard deviation over seeds" : "") +
                     (series.Any(s => s.Rates.Any(r => r.Outcome == RateOutcome.Diverged)) ? "; ×: diverged" : "");
        PlotFrame.DrawLegend(canvas, bounds, methods, styles, font, textPaint);
    }

    private static float X(SKRect area, IReadOnlyList<double> lrs, double lr) => area.Left + (float)Position(lrs, lr) * area.Width;
}
