using System.Runtime.InteropServices;

namespace GradGuessCluster.Training.Weights;

/// <summary>A float32 array with a name and a row-major shape: what a weights file holds, free of any tensor library, so
/// the writers need no libtorch and a reader in any language gets exactly these bytes.</summary>
public sealed record NamedArray(string Name, long[] Shape, float[] Values)
{
    /// <summary>The element count the shape makes (1 for a scalar's empty shape).</summary>
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Throws unless the name is usable as a key in both formats and the values fill the shape.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Any(char.IsControl) || Name.Contains('/') || Name.StartsWith("__", StringComparison.Ordinal))
            throw new ArgumentException($"array name '{Name}': expected a non-empty name without '/', control characters or a leading '__'");
        if (Shape.Any(d => d < 0)) throw new ArgumentException($"array '{Name}': negative dimension in [{string.Join(", ", Shape)}]");
        if (Count != Values.LongLength)
            throw new ArgumentException($"array '{Name}': shape [{string.Join(", ", Shape)}] holds {Count} values, got {Values.LongLength}");
    }

    /// <summary>Validates every array, and that no name is given twice: what both formats need before a byte is written.</summary>
    public static void ValidateAll(IReadOnlyList<NamedArray> arrays)
    {
        foreach (var a in arrays) a.Validate();
        if (arrays.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"array name '{twice.Key}' given twice");
    }

    /// <summary>The values' bytes in little-endian order, as both formats store them.</summary>
    internal void WriteValues(Stream stream)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("weights files are written on little-endian machines only");
        stream.Write(MemoryMarshal.AsBytes(Values.AsSpan()));
    }
}
