namespace GradGuessCluster.Client.Rendering;

/// <summary>Fitting a table with the simple border to a terminal's width: the width its columns take, and the method
/// column cut short with an ellipsis (a name broken over two lines reads as two rows), but never so short that two
/// methods read alike (activation-perturbation and activation-mixing).</summary>
internal static class TableFit
{
    /// <summary>The method column's width that takes <paramref name="over"/> characters off the longest name (or
    /// header), no less than 6 and no less than keeps the names distinct; unlimited when nothing is over.</summary>
    public static int MethodWidth(IReadOnlyCollection<string> names, string header, int over)
    {
        if (over <= 0) return int.MaxValue;
        int longest = names.Append(header).Max(n => n.Length), distinct = names.Distinct().Count();
        int width = Math.Max(6, longest - over);
        while (width < longest && names.Select(n => Crop(n, width)).Distinct().Count() < distinct) width++;
        return width;
    }

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters with an ellipsis.</summary>
    public static string Crop(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>The first <paramref name="columns"/> columns' widths as the simple border draws them: widest text (the
    /// method column's at most <paramref name="methodWidth"/>) plus one character of padding each side. The border's
    /// edges, one character each, are the caller's to add.</summary>
    public static int ColumnsWidth(string[] headers, IReadOnlyList<string[]> rows, int columns, int methodWidth) =>
        Enumerable.Range(0, columns).Sum(i => Math.Min(i == 0 ? methodWidth : int.MaxValue, rows.Select(r => r[i].Length).Append(headers[i].Length).Max()) + 2);
}
