using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --rates</c>: a row per method × optimizer and a column per learning rate, each the rate's score under the
/// selection rule (mean over seeds), the chosen one in brackets: how sharply a method's accuracy peaks over the grid,
/// where the results table gives only the top and its lead over the next. A rate without a score says why (diverged,
/// failed, pending). The terminal shows the seeds' spread where the table still fits with it; Markdown always does.
/// </summary>
internal static class RatesTable
{
    public static void Render(SweepResults results, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        var headers = Headers(results);
        bool spread = HasSpread(results) && Width(headers, Rows(results, spread: true)) <= console.Profile.Width;
        FittedTable.Render(console, Title(results, spread), headers, Rows(results, spread), [], rightFrom: 2);
        console.WriteLine(Legend);
    }

    /// <summary>The same table in Markdown, with the spread wherever seeds have one and the chosen rate in bold.</summary>
    public static IEnumerable<string> MarkdownLines(SweepResults results)
    {
        var headers = Headers(results);
        yield return "| " + string.Join(" | ", headers) + " |";
        yield return "|---|---|" + string.Concat(Enumerable.Repeat("---:|", headers.Length - 2));
        bool spread = HasSpread(results);
        foreach (var row in results.Rows)
        {
            var cells = Rates(row).Select(r => (Text: ResultsMarkdown.Escape(Cell(r, spread)), Chosen: r.LearningRate == row.BestLearningRate))
                .Select(c => c.Chosen ? $"**{c.Text}**" : c.Text);
            yield return $"| {ResultsMarkdown.Escape(row.Method)} | {ResultsMarkdown.Escape(row.Optimizer)} | {string.Join(" | ", cells)} |";
        }
        yield return "";
        yield return "Bold" + Legend["[ ]".Length..] + ".";
    }

    public static string Title(SweepResults results, bool spread) =>
        $"results of {results.Name} ({results.State.Name()}): {ResultsTable.Rule(results.Selection)} at each learning rate per method × optimizer, mean over seeds" +
        (spread ? " ± their standard deviation (points)" : "");

    private const string Legend = "[ ]: the learning rate chosen; a rate without a score says why (diverged, failed, pending)";

    /// <summary>The learning rates of the grid, from the first row (every row has them all, in the spec's order).</summary>
    private static string[] Headers(SweepResults results) =>
        ["method", "optimizer", .. Rates(results.Rows[0]).Select(r => ResultsTable.Lr(r.LearningRate))];

    private static List<string[]> Rows(SweepResults results, bool spread) =>
        results.Rows.Select(row => (string[])[row.Method, row.Optimizer,
            .. Rates(row).Select(r => r.LearningRate == row.BestLearningRate ? $"[{Cell(r, spread)}]" : Cell(r, spread))]).ToList();

    private static string Cell(RateScore rate, bool spread) => rate.Outcome switch
    {
        RateOutcome.Diverged => "diverged",
        RateOutcome.Failed => "failed",
        RateOutcome.Pending => "pending",
        _ => spread ? ResultsTable.WithSpread(rate.Score, rate.ScoreStd) : ResultsTable.Percent(rate.Score),
    };

    public static bool HasSpread(SweepResults results) => results.Rows.Any(r => Rates(r).Any(s => s.ScoreStd is not null));

    private static IReadOnlyList<RateScore> Rates(ResultRow row) => RatesOf(row, "results --rates");

    /// <summary>A row's rates for <paramref name="command"/>. Rows from silos of a build before per-rate scores have none:
    /// said, rather than drawn as an empty grid.</summary>
    public static IReadOnlyList<RateScore> RatesOf(ResultRow row, string command) => row.Rates ??
        throw new InvalidOperationException($"the silos answered without per-learning-rate scores (a build before 2026-12-06): run `{command}` against silos of this build");

    private static int Width(string[] headers, List<string[]> rows) =>
        headers.Length + 2 + TableFit.ColumnsWidth(headers, rows, headers.Length, int.MaxValue);
}
