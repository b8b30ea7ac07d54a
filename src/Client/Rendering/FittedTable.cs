using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>A table of text rows, the method first, drawn with the simple border to fit the terminal: while wider than it,
/// the columns of <c>leftOutFirst</c> go (in that order, said below the table), then method names are cut as the results
/// table's are; and the same rows as Markdown.</summary>
internal static class FittedTable
{
    /// <param name="rightFrom">Columns from this one on are numbers: right-aligned.</param>
    public static void Render(IAnsiConsole console, string title, string[] headers, IReadOnlyList<string[]> rows, string[] leftOutFirst, int rightFrom)
    {
        int width = console.Profile.Width;
        var shown = Enumerable.Range(0, headers.Length).ToList();
        var leftOut = new List<string>();
        foreach (var header in leftOutFirst)
        {
            if (Width(headers, rows, shown, int.MaxValue) <= width) break;
            shown.Remove(Array.IndexOf(headers, header));
            leftOut.Add(header);
        }
        int methodWidth = TableFit.MethodWidth(rows.Select(r => r[0]).Where(m => m.Length > 0).ToList(), headers[0],
            Width(headers, rows, shown, int.MaxValue) - width);
        console.WriteLine(title);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var i in shown)
        {
            var column = new TableColumn(headers[i]).NoWrap();
            table.AddColumn(i >= rightFrom ? column.RightAligned() : column);
        }
        foreach (var row in rows)
            table.AddRow(shown.Select(i => Markup.Escape(i == 0 ? TableFit.Crop(row[i], methodWidth) : row[i])).ToArray());
        console.Write(table);
        if (leftOut.Count > 0) console.WriteLine($"(left out to fit the terminal: {string.Join(", ", leftOut)}; a wider terminal, --markdown or --json have them)");
    }

    public static IEnumerable<string> MarkdownLines(string[] headers, IEnumerable<string[]> rows, int rightFrom)
    {
        yield return "| " + string.Join(" | ", headers) + " |";
        yield return "|" + string.Join("|", headers.Select((_, i) => i < rightFrom ? "---" : "---:")) + "|";   // as the terminal: numbers right
        foreach (var row in rows) yield return "| " + string.Join(" | ", row.Select(ResultsMarkdown.Escape)) + " |";
    }

    /// <summary>The shown columns' width with the simple border's edges.</summary>
    private static int Width(string[] headers, IReadOnlyList<string[]> rows, List<int> shown, int methodWidth)
    {
        var picked = rows.Select(r => shown.Select(i => r[i]).ToArray()).ToList();
        return shown.Count + 2 + TableFit.ColumnsWidth(shown.Select(i => headers[i]).ToArray(), picked, shown.Count, methodWidth);
    }
}
