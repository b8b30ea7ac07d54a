namespace GradGuessCluster.Training.Data;

/// <summary>The contents of one IDX file of unsigned bytes: its dimension sizes and its payload, row-major.</summary>
/// <param name="Path">The file it came from (for error messages further on).</param>
/// <param name="Shape">Dimension sizes from the header, e.g. [60000, 28, 28] or [60000].</param>
/// <param name="Data">The payload, exactly the product of <paramref name="Shape"/> bytes (empty after a header-only read).</param>
public sealed record IdxArray(string Path, int[] Shape, byte[] Data)
{
    /// <summary>Items along the first dimension (images or labels).</summary>
    public int Count => Shape[0];

    /// <summary>Bytes per item: the product of the remaining dimensions (784 for 28x28 images, 1 for labels).</summary>
    public long ItemSize => Product(Shape.Skip(1));

    /// <summary>Payload bytes the header promises.</summary>
    public long PayloadBytes => Product(Shape);

    // Saturating: a corrupt header's sizes multiply past long's range, and must read as too large rather than wrap.
    private static long Product(IEnumerable<int> sizes) =>
        sizes.Aggregate(1L, (a, d) => d != 0 && a > long.MaxValue / d ? long.MaxValue : a * d);

    /// <summary>Header bytes: 4 of magic and 4 per dimension.</summary>
    public int HeaderBytes => 4 + 4 * Shape.Length;
}
