using SkiaSharp;

namespace GradGuessCluster.Client.Plotting;

/// <summary>Curve colours, one per learning rate (the same LR has the same colour in every panel), or one per sweep when
/// several share a plot. Up to nine: saturated hues that stay apart from the greys and black of axes, grid and text.
/// More (a refined grid of 18 rates) take their colours along one ordered scale instead, so that no two curves share a
/// colour and a colour's place on the scale says the rate's place in the list: neighbours look alike, far rates do not.</summary>
public static class CurvePalette
{
    public static readonly SKColor[] Colors =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x17, 0xbe, 0xcf), new(0xbc, 0xbd, 0x22),
    ];

    /// <summary>Viridis at tenths from 0 to 0.9: perceptually even and readable in grey. Its last tenth, a pale yellow,
    /// is left out: thin lines of it vanish on the white plot area.</summary>
    private static readonly SKColor[] Scale =
    [
        new(0x44, 0x01, 0x54), new(0x48, 0x24, 0x75), new(0x41, 0x44, 0x87), new(0x35, 0x5f, 0x8d), new(0x2a, 0x78, 0x8e),
        new(0x21, 0x91, 0x8c), new(0x22, 0xa8, 0x84), new(0x44, 0xbf, 0x70), new(0x7a, 0xd1, 0x51), new(0xbd, 0xdf, 0x26),
    ];

    /// <summary>The colour of the <paramref name="index"/>th of <paramref name="count"/> curves' labels: the palette's while
    /// they fit it, else the scale's, from its dark end (the first) to its light end (the last).</summary>
    public static SKColor For(int index, int count)
    {
        if (count <= Colors.Length) return Colors[index];
        double at = (double)index / (count - 1) * (Scale.Length - 1);
        int below = Math.Min((int)at, Scale.Length - 2);
        double t = at - below;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + (b - a) * t);
        var (lo, hi) = (Scale[below], Scale[below + 1]);
        return new SKColor(Mix(lo.Red, hi.Red), Mix(lo.Green, hi.Green), Mix(lo.Blue, hi.Blue));
    }

    /// <summary>The palette's colour for <paramref name="index"/>, for a set of curves that fits it.</summary>
    public static SKColor For(int index) => For(index, Colors.Length);
}
