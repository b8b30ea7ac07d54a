namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>Two differing values shortened for one line so that they still read apart: cut at a fixed length, six
/// methods against five, or a grid of learning rates with one more at its end, printed as the same text.</summary>
public static class DifferingValues
{
    private const int Max = 40, Context = 12;

    /// <summary>Both values as they are when short; else each around where they differ, "..." where cut.</summary>
    public static (string A, string B) Shorten(string a, string b)
    {
        (a, b) = (SpecYamlNodes.Printable(a), SpecYamlNodes.Printable(b));
        if (a.Length <= Max && b.Length <= Max) return (a, b);
        int prefix = 0, shorter = Math.Min(a.Length, b.Length);
        while (prefix < shorter && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < shorter - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        return (Around(a, prefix, suffix), Around(b, prefix, suffix));
    }

    /// <summary>The differing middle of <paramref name="text"/> with some shared text either side, at most
    /// <see cref="Max"/> characters of it.</summary>
    private static string Around(string text, int prefix, int suffix)
    {
        int start = Math.Max(0, prefix - Context);
        int end = Math.Min(text.Length, Math.Min(text.Length - suffix + Context, start + Max));
        return (start > 0 ? "..." : "") + text[start..end] + (end < text.Length ? "..." : "");
    }
}
