using System.Globalization;
using GradGuessCluster.Client.Rendering;
using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>
/// PNG of a sweep's curves: one panel per method × optimizer, one curve per learning rate in each (colour = LR; for
/// accuracies solid = training, dashed = test), axes (epoch; accuracy 0–1, per method the cosine's range, or the losses'
/// decades on a log scale) and a legend.
/// Curves of several sweeps (each its best learning rate) are coloured by sweep instead, with each panel's learning
/// rates in its title.
/// </summary>
public static class CurvePlot
{
    /// <summary>Faint enough that overlapping bands of several learning rates stay readable.</summary>
    private const byte BandAlpha = 0x30;

    /// <summary>The panel grid for these curves: methods (rows) and optimizers (columns) in first-seen order.</summary>
    public static (List<string> Methods, List<string> Optimizers, List<double> Lrs) PanelGrid(IReadOnlyList<PlotCurve> curves) =>
        (curves.Select(c => c.Method).Distinct().ToList(), curves.Select(c => c.Optimizer).Distinct().ToList(),
         curves.Select(c => c.Lr).Distinct().OrderByDescending(lr => lr).ToList());

    /// <param name="sweeps">With curves of several sweeps: the sweeps in order (A, B), which fixes each one's colour and
    /// letter even when one of them has no curve yet.</param>
    public static byte[] RenderPng(string title, IReadOnlyList<PlotCurve> curves, PlotMetric metric, int width, int height,
        IReadOnlyList<string>? sweeps = null) => Render(PlotFormat.Png, title, curves, metric, width, height, sweeps);

    /// <inheritdoc cref="RenderPng"/>
    public static byte[] Render(PlotFormat format, string title, IReadOnlyList<PlotCurve> curves, PlotMetric metric, int width, int height,
        IReadOnlyList<string>? sweeps = null)
    {
        if (curves.Count == 0) throw new ArgumentException("no curves to plot", nameof(curves));
        var (methods, optimizers, lrs) = PanelGrid(curves);
        var order = (sweeps ?? curves.Select(c => c.Sweep).OfType<string>().Distinct()).ToList();
        if (curves.Any(c => c.Sweep is { } s && !order.Contains(s))) throw new ArgumentException("a curve of a sweep not listed", nameof(sweeps));
        int Colour(PlotCurve c) => c.Sweep is { } sweep ? order.IndexOf(sweep) : lrs.IndexOf(c.Lr);
        var legend = order.Count > 0
            ? order.Select((name, i) => $"{Letter(i)} = {name}").ToList()
            : lrs.Select(lr => "lr=" + ResultsTable.Lr(lr)).ToList();                 // as the results table writes it
        var layout = new PlotLayout(width, height, methods.Count, optimizers.Count);
        int maxEpoch = Math.Max(1, curves.SelectMany(c => c.Series(metric)).SelectMany(s => s.Points).Select(p => p.Epoch).DefaultIfEmpty(1).Max());

        var figure = new Figure(methods, optimizers, order, legend, layout, maxEpoch, Colour);
        return PlotImage.Render(format, width, height, canvas => Draw(canvas, title, curves, metric, width, figure));
    }

    /// <summary>What a drawing needs beside its curves: the panel grid, the sweeps (when several share it), the legend's
    /// labels, the layout, the epoch axis' end and each curve's colour index.</summary>
    private sealed record Figure(List<string> Methods, List<string> Optimizers, List<string> Sweeps, List<string> Legend, PlotLayout Layout,
        int MaxEpoch, Func<PlotCurve, int> Colour);

    private static char Letter(int index) => (char)('A' + index);

    private static void Draw(SKCanvas canvas, string title, IReadOnlyList<PlotCurve> curves, PlotMetric metric, int width, Figure figure)
    {
        var (methods, optimizers, order, legend, layout, maxEpoch, Colour) = figure;
        using var font = new SKFont(PlotFonts.Typeface, 12);
        using var textPaint = new SKPaint { Color = PlotFrame.Text, IsAntialias = true };
        PlotFrame.DrawTitle(canvas, title, width, textPaint);

        for (int row = 0; row < methods.Count; row++)
        {
            var axis = RowAxis(metric, curves, methods[row]);
            for (int col = 0; col < optimizers.Count; col++)
            {
                var area = layout.PlotArea(row, col);
                var bounds = layout.PanelBounds(row, col);
                var panel = curves.Where(c => c.Method == methods[row] && c.Optimizer == optimizers[col]).ToList();
                var heading = $"{methods[row]} · {optimizers[col]}" +
                              (order.Count > 0 ? " · lr " + string.Join(" | ", panel.Select(c => $"{Letter(Colour(c))} {ResultsTable.Lr(c.Lr)}")) : "");
                canvas.DrawText(heading, (bounds.Left + bounds.Right) / 2, bounds.Top + 18, SKTextAlign.Center, font, textPaint);
                DrawAxes(canvas, area, maxEpoch, axis, font, textPaint);
                foreach (var curve in panel)
                    foreach (var (series, dashed) in curve.Series(metric))
                        DrawCurve(canvas, area, maxEpoch, axis, series, CurvePalette.For(Colour(curve), legend.Count), dashed);
            }
        }
        bool bands = curves.SelectMany(c => c.Series(metric)).Any(series => Banded(series.Points));
        DrawLegend(canvas, layout.LegendBounds, legend, metric, bands, font, textPaint);
    }

    private static void DrawAxes(SKCanvas canvas, SKRect area, int maxEpoch, ValueAxis values, SKFont font, SKPaint textPaint)
    {
        using var grid = new SKPaint { Color = PlotFrame.Grid, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var axis = new SKPaint { Color = PlotFrame.Axis, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        PlotFrame.DrawValueTicks(canvas, area, values, font, textPaint, grid);
        foreach (int epoch in EpochTicks(maxEpoch))
        {
            float x = X(area, epoch, maxEpoch);
            canvas.DrawLine(x, area.Top, x, area.Bottom, grid);
            canvas.DrawText(epoch.ToString(CultureInfo.InvariantCulture), x, area.Bottom + 15, SKTextAlign.Center, font, textPaint);
        }
        canvas.DrawRect(area, axis);
        canvas.DrawText("epoch", area.MidX, area.Bottom + 30, SKTextAlign.Center, font, textPaint);
    }

    private static void DrawCurve(SKCanvas canvas, SKRect area, int maxEpoch, ValueAxis axis, IReadOnlyList<PlotPoint> points,
        SKColor color, bool dashed)
    {
        if (points.Count == 0) return;
        if (Banded(points)) DrawBand(canvas, area, maxEpoch, axis, points, color);
        using var paint = new SKPaint { Color = color, StrokeWidth = 2.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        if (dashed) paint.PathEffect = SKPathEffect.CreateDash([7, 5], 0);
        using var path = new SKPath();
        path.MoveTo(X(area, points[0].Epoch, maxEpoch), PlotFrame.Y(area, axis, points[0].Value));
        foreach (var p in points.Skip(1)) path.LineTo(X(area, p.Epoch, maxEpoch), PlotFrame.Y(area, axis, p.Value));
        if (points.Count == 1)
        {
            using var dot = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
            canvas.DrawCircle(X(area, points[0].Epoch, maxEpoch), PlotFrame.Y(area, axis, points[0].Value), 3.5f, dot);
        }
        else canvas.DrawPath(path, paint);
    }

    /// <summary>
    /// The value axis of <paramref name="method"/>'s row of panels. Cosines differ by orders of magnitude between methods
    /// (1 for backprop, 1e-3 for directional): each method's row gets an axis that fits its values; accuracies share 0–1,
    /// losses one logarithmic axis and ranks one axis over their range (ranks of one matrix compare across methods), so
    /// that panels compare at a glance. The seed bands count: an axis fitted to the means alone cut them off.
    /// </summary>
    internal static ValueAxis RowAxis(PlotMetric metric, IReadOnlyList<PlotCurve> curves, string method) => metric switch
    {
        PlotMetric.Cosine or PlotMetric.StepCosine =>
            ValueAxis.Around(Reach(curves.Where(c => c.Method == method).SelectMany(c => c.Series(metric).Select(s => s.Points)))),
        PlotMetric.Loss => ValueAxis.Decades(Reach(curves.Select(c => c.Loss), lower: false)),   // a lower edge near 0 would pull every panel down decades
        PlotMetric.Rank => ValueAxis.Spanning(Reach(curves.Select(c => c.Rank ?? []))),
        _ => ValueAxis.Accuracy,   // 0–1 whatever the bands: a mean ± deviation past 1 is no accuracy, nor a share
    };

    /// <summary>The values the curves' lines and bands reach: each mean, and mean + spread (and, with
    /// <paramref name="lower"/>, mean − spread) where a band is drawn.</summary>
    private static IEnumerable<double> Reach(IEnumerable<IReadOnlyList<PlotPoint>> curves, bool lower = true) =>
        curves.SelectMany(points => Banded(points)
            ? points.SelectMany(p => lower ? new[] { p.Value, p.Value - p.Spread, p.Value + p.Spread } : [p.Value, p.Value + p.Spread])
            : points.Select(p => p.Value));

    /// <summary>A curve with a spread over seeds somewhere, and a line to put a band around.</summary>
    private static bool Banded(IReadOnlyList<PlotPoint> points) => points.Count > 1 && points.Any(p => p.Spread > 0);

    /// <summary>Mean ± the seeds' standard deviation as a faint fill of the curve's colour, under its line.</summary>
    private static void DrawBand(SKCanvas canvas, SKRect area, int maxEpoch, ValueAxis axis, IReadOnlyList<PlotPoint> points, SKColor color)
    {
        using var fill = new SKPaint { Color = color.WithAlpha(BandAlpha), Style = SKPaintStyle.Fill, IsAntialias = true };
        using var band = new SKPath();
        band.MoveTo(X(area, points[0].Epoch, maxEpoch), PlotFrame.Y(area, axis, points[0].Value + points[0].Spread));
        foreach (var p in points.Skip(1)) band.LineTo(X(area, p.Epoch, maxEpoch), PlotFrame.Y(area, axis, p.Value + p.Spread));
        foreach (var p in points.Reverse()) band.LineTo(X(area, p.Epoch, maxEpoch), PlotFrame.Y(area, axis, p.Value - p.Spread));
        band.Close();
        canvas.DrawPath(band, fill);
    }

    /// <param name="labels">One per colour, in palette order: the learning rates, or the sweeps.</param>
    private static void DrawLegend(SKCanvas canvas, SKRect bounds, IReadOnlyList<string> labels, PlotMetric metric, bool bands, SKFont font,
        SKPaint textPaint)
    {
        var styles = metric switch
        {
            PlotMetric.Train => "train accuracy",
            PlotMetric.Test => "test accuracy",
            PlotMetric.Both => "solid: train accuracy, dashed: test accuracy",
            PlotMetric.Loss => "training loss (mean mini-batch cross-entropy of the epoch), log scale",
            PlotMetric.Rank => "effective rank of the weight matrix at the end of the epoch",
            PlotMetric.StepCosine => "cosine of the optimizer's step with the descent direction (mean of the epoch's samples)",
            PlotMetric.GradientShare => "the layer's fraction of the true gradient's squared norm (mean of the epoch's samples)",
            _ => "cosine similarity of the update with the true gradient (mean of the epoch's samples)",
        } + (bands ? "; band: ± standard deviation over seeds" : "");
        PlotFrame.DrawLegend(canvas, bounds, labels, styles, font, textPaint);
    }

    private static IEnumerable<int> EpochTicks(int maxEpoch)
    {
        int step = Math.Max(1, (int)Math.Pow(10, Math.Floor(Math.Log10(maxEpoch))));
        if (maxEpoch / step < 3) step = Math.Max(1, step / 2);
        for (int e = 0; e <= maxEpoch; e += step) yield return e;
    }

    private static float X(SKRect area, int epoch, int maxEpoch) => area.Left + (float)epoch / maxEpoch * area.Width;

}
