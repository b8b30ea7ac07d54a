using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;

namespace GradGuessCluster.Analyzers;

/// <summary>The TorchSharp methods that make a Scalar inside (GG0003), read from ScalarMakers.txt, which the test
/// ScalarMakersTests writes afresh from the referenced TorchSharp.dll when the two differ.</summary>
public static class ScalarMakers
{
    public static ImmutableHashSet<string> Keys { get; } = Load();

    private static ImmutableHashSet<string> Load()
    {
        using var stream = typeof(ScalarMakers).Assembly.GetManifestResourceStream("GradGuessCluster.Analyzers.ScalarMakers.txt")
            ?? throw new InvalidOperationException("ScalarMakers.txt is not embedded in the analyzer");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
            .ToImmutableHashSet(StringComparer.Ordinal);
    }
}
