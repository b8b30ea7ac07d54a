namespace GradGuessCluster.Client.Rendering;

/// <summary>The method column of a table fitted to a narrow terminal: names are cut with an ellipsis (a name broken over
/// two lines reads as two rows), but never so short that two of them read alike (activation-perturbation and
/// activation-mixing).</summary>
internal static class MethodColumn
{
    /// <summary>The width that takes <paramref name="over"/> characters off the longest name (or header), no less than
    /// 6 and no less than keeps the names distinct; unlimited when nothing is over.</summary>
    public static int Width(IReadOnlyCollection<string> names, string header, int over)
    {
        if (over <= 0) return int.MaxValue;
        int longest = names.Append(header).Max(n => n.Length), distinct = names.Distinct().Count();
        int width = Math.Max(6, longest - over);
        while (width < longest && names.Select(n => Crop(n, width)).Distinct().Count() < distinct) width++;
        return width;
    }

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters with an ellipsis.</summary>
    public static string Crop(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
