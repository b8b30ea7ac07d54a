using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>Where everything goes: a title band, a grid of panels (rows = methods, columns = optimizers), a legend band.
/// Deterministic in its inputs, so tests can find each panel's plot area in the PNG.</summary>
public sealed record PlotLayout(int Width, int Height, int Rows, int Columns)
{
    public const int TitleHeight = 44;
    public const int LegendHeight = 40;
    /// <summary>The height a plot takes unless told: a title, a legend and <paramref name="rows"/> rows of panels this high.</summary>
    public static int DefaultHeight(int rows, int rowHeight = CurveRowHeight) => TitleHeight + LegendHeight + rowHeight * rows;

    /// <summary>A row of curve panels; the rates plot's one row is <see cref="RatesRowHeight"/>.</summary>
    public const int CurveRowHeight = 320, RatesRowHeight = 400;

    private const int PanelTitle = 22, MarginLeft = 52, MarginBottom = 34, MarginRight = 14, MarginTop = 6;

    public SKRect PanelBounds(int row, int column)
    {
        float w = (float)Width / Columns, h = (float)(Height - TitleHeight - LegendHeight) / Rows;
        return new SKRect(column * w, TitleHeight + row * h, (column + 1) * w, TitleHeight + (row + 1) * h);
    }

    /// <summary>The axes' interior of a panel, where its curves are drawn.</summary>
    public SKRect PlotArea(int row, int column)
    {
        var p = PanelBounds(row, column);
        return new SKRect(p.Left + MarginLeft, p.Top + PanelTitle + MarginTop, p.Right - MarginRight, p.Bottom - MarginBottom);
    }

    public SKRect LegendBounds => new(0, Height - LegendHeight, Width, Height);
}
