using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>Curve colours, one per learning rate (the same LR has the same colour in every panel), or one per sweep when
/// several share a plot. Saturated hues that stay apart from the greys and black of axes, grid and text.</summary>
public static class CurvePalette
{
    public static readonly SKColor[] Colors =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x17, 0xbe, 0xcf), new(0xbc, 0xbd, 0x22),
    ];

    public static SKColor For(int index) => Colors[index % Colors.Length];
}
