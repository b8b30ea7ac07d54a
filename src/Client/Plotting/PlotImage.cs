using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>The file formats a plot is written in: PNG for a screen or a report, SVG and PDF (vector, text kept as text)
/// for a paper's figures, which a raster blurs when scaled.</summary>
public enum PlotFormat { Png, Svg, Pdf }

/// <summary>One drawing, encoded in the format asked for: the plots draw on a canvas and need not know which.</summary>
public static class PlotImage
{
    /// <summary>The format "png", "svg" or "pdf" names (<c>--format</c>'s values; a file's extension lower-cased); null for another.</summary>
    public static PlotFormat? Named(string name) => name switch
    {
        "png" => PlotFormat.Png,
        "svg" => PlotFormat.Svg,
        "pdf" => PlotFormat.Pdf,
        _ => null,
    };

    /// <summary>"svg" of "Fig.SVG".</summary>
    public static string Extension(string path) => Path.GetExtension(path).TrimStart('.').ToLowerInvariant();

    /// <summary>The image of <paramref name="draw"/> on a white <paramref name="width"/> × <paramref name="height"/> canvas:
    /// pixels for PNG, SVG user units or PDF points (1/72 inch) for the vector formats.</summary>
    public static byte[] Render(PlotFormat format, int width, int height, Action<SKCanvas> draw)
    {
        switch (format)
        {
            case PlotFormat.Svg:
            {
                using var stream = new MemoryStream();
                // The canvas writes its closing tag when disposed: the stream is read after.
                using (var canvas = SKSvgCanvas.Create(SKRect.Create(width, height), stream)) Paint(canvas, draw);
                return stream.ToArray();
            }
            case PlotFormat.Pdf:
            {
                using var stream = new MemoryStream();
                using (var document = SKDocument.CreatePdf(stream))
                {
                    Paint(document.BeginPage(width, height), draw);
                    document.EndPage();
                    document.Close();
                }
                return stream.ToArray();
            }
            default:
            {
                using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
                Paint(surface.Canvas, draw);
                using var image = surface.Snapshot();
                using var data = image.Encode(SKEncodedImageFormat.Png, 100);
                return data.ToArray();
            }
        }
    }

    private static void Paint(SKCanvas canvas, Action<SKCanvas> draw)
    {
        canvas.Clear(SKColors.White);
        draw(canvas);
    }

    /// <summary>"PNG", "SVG", "PDF", as messages name them.</summary>
    public static string Name(this PlotFormat format) => format.ToString().ToUpperInvariant();
}
