using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>results --markdown</c>: the results table as a GitHub-flavoured Markdown table, for a paper's notes or a
/// report (docs/STUDY.md pasted one), with the same figures as the terminal table.</summary>
internal static class ResultsMarkdown
{
    public static IEnumerable<string> Lines(SweepResults results)
    {
        var lead = ResultsTable.HasLead(results);
        yield return "| method | optimizer | best LR | train acc | test acc |" + (lead ? " lead |" : "") + " finished | note |";
        yield return "|---|---|---:|---:|---:|" + (lead ? "---:|" : "") + "---:|---|";
        foreach (var (row, cells) in results.Rows.Zip(ResultsTable.Cells(results, spread: true, lead)))
            yield return "| " + string.Join(" | ", cells.Append(row.Note ?? "").Select(Escape)) + " |";
        if (results.Rows.Any(r => r.AtGridEdge))
        {
            yield return "";
            yield return "\\* the best learning rate is at the edge of the grid: the optimum may lie outside it" +
                         (EdgeHint.For(results) is { } hint ? $"; {Escape(hint)}." : ".");
        }
        if (lead)
        {
            yield return "";
            yield return Escape(ResultsTable.LeadLegend(results.Selection)) + ".";
        }
    }

    /// <summary>A pipe would end the cell and a line break the row; an asterisk (the grid-edge mark) would start emphasis.</summary>
    public static string Escape(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
