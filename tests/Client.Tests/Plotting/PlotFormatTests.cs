using System.Xml.Linq;
using GradGuessCluster.Client.Plotting;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using SkiaSharp;

namespace GradGuessCluster.Client.Tests.Plotting;

/// <summary>A plot as SVG or PDF is the PNG's drawing as vectors: rasterized by tools of their own (rsvg-convert,
/// pdftoppm), each shows the same curves in the same colours where the PNG has them, and keeps its text as text.</summary>
public sealed class PlotFormatTests : IDisposable
{
    private const int Width = 600, Height = 404;
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-plotformat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Two learning rates in one panel: colour 0 (1e-2) low on the axis, colour 1 (1e-3) high.</summary>
    private static byte[] Figure(PlotFormat format) => CurvePlot.Render(format, "formats: two rates", [Curve(1e-2, 0.2, 0.1), Curve(1e-3, 0.7, -0.1)],
        PlotMetric.Train, Width, Height);

    private static PlotCurve Curve(double lr, double from, double step) =>
        new("wt", "adamw", lr, [.. Enumerable.Range(1, 5).Select(e => new PlotPoint(e, from + (e - 1) * step / 4, 0))], [], [], []);

    [Fact]
    public async Task Svg_RasterizedByRsvg_DrawsWhatThePngDraws_AndKeepsItsText()
    {
        var svg = Figure(PlotFormat.Svg);
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg));
        Assert.Equal("svg", xml.Root!.Name.LocalName);
        Assert.Equal((Width.ToString(), Height.ToString()), ((string?)xml.Root.Attribute("width"), (string?)xml.Root.Attribute("height")));
        Assert.Contains(xml.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.Trim() == "formats: two rates");

        File.WriteAllBytes(Path.Combine(_dir, "f.svg"), svg);
        var rsvg = await ExternalTool.RunAsync("rsvg-convert", "librsvg2-bin", _dir, "f.svg", "-o", "f.png");
        Assert.True(rsvg.ExitCode == 0, rsvg.Stderr);
        AssertSameCurves(File.ReadAllBytes(Path.Combine(_dir, "f.png")));
    }

    [Fact]
    public async Task Pdf_RasterizedByPoppler_DrawsWhatThePngDraws_AndKeepsItsText()
    {
        var pdf = Figure(PlotFormat.Pdf);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        File.WriteAllBytes(Path.Combine(_dir, "f.pdf"), pdf);

        var text = await ExternalTool.RunAsync("pdftotext", "poppler-utils", _dir, "f.pdf", "-");
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("formats: two rates", text.Stdout);
        Assert.Contains("lr=1e-2", text.Stdout);
        // One page of the figure's size in points: 72 dpi gives its pixels back.
        var raster = await ExternalTool.RunAsync("pdftoppm", "poppler-utils", _dir, "-r", "72", "-png", "-singlefile", "f.pdf", "f");
        Assert.True(raster.ExitCode == 0, raster.Stderr);
        AssertSameCurves(File.ReadAllBytes(Path.Combine(_dir, "f.png")));
    }

    [Fact]
    public void TheFormat_IsTheFilesExtension_InAnyCase_AndNoneForAnother() =>
        Assert.Equal([PlotFormat.Svg, PlotFormat.Pdf, PlotFormat.Png, null, null],
            new[] { "a.svg", "b.PDF", "c.png", "-", "d.jpg" }.Select(path => PlotImage.Named(PlotImage.Extension(path))));

    /// <summary>Per palette colour, its pixels in the panel's plot area, above and below its middle: the falling curve
    /// (colour 0) lies low, the rising one (colour 1) high, in <paramref name="image"/> as in the PNG.</summary>
    private static void AssertSameCurves(byte[] image)
    {
        static (int Upper, int Lower) Pixels(byte[] png, SKColor colour)
        {
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal((Width, Height), (bitmap.Width, bitmap.Height));
            var area = new PlotLayout(Width, Height, 1, 1).PlotArea(0, 0);
            int upper = 0, lower = 0;
            for (int y = (int)area.Top + 1; y < (int)area.Bottom; y++)
                for (int x = (int)area.Left + 1; x < (int)area.Right; x++)
                    if (PngCurves.Near(bitmap.GetPixel(x, y), colour)) _ = y < area.MidY ? upper++ : lower++;
            return (upper, lower);
        }

        var png = Figure(PlotFormat.Png);
        foreach (var (colour, high) in new[] { (CurvePalette.For(0), false), (CurvePalette.For(1), true) })
        {
            var (expected, actual) = (Pixels(png, colour), Pixels(image, colour));
            Assert.True(high ? expected.Upper > 50 && expected.Lower == 0 : expected.Lower > 50 && expected.Upper == 0, $"the PNG: {expected}");
            // Antialiasing differs between renderers: within a third of the PNG's count, on the same side.
            var (mine, theirs) = high ? (actual.Upper, expected.Upper) : (actual.Lower, expected.Lower);
            Assert.True(Math.Abs(mine - theirs) <= theirs / 3, $"{colour}: {actual} against the PNG's {expected}");
            Assert.Equal(0, high ? actual.Lower : actual.Upper);
        }
    }
}
