using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>results --rates</c>: a row per method × optimizer and a column per learning rate, each the rate's score under the
/// selection rule (mean over seeds), the chosen one in brackets: how sharply a method's accuracy peaks over the grid,
/// where the results table gives only the top and its lead over the next. A rate without a score says why (diverged,
/// failed, pending). The terminal shows the seeds' spread where the table still fits with it; Markdown always does.
/// A grid of more rates than a terminal's width holds is shown as several tables of them, one under another.
/// </summary>
internal static class RatesTable
{
    /// <summary>One table where the rates fit the terminal beside the method and optimizer; else the rates in runs that
    /// do, a table each, one under another (a table wider than the terminal would break every cell over two lines).</summary>
    public static void Render(SweepResults results, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        int width = console.Profile.Width;
        var columns = Columns(results);
        var headers = Headers(columns);
        bool spread = HasSpread(results) && Width(headers, Rows(results, columns, spread: true)) <= width;
        var rows = Rows(results, columns, spread);
        var title = Title(results, spread);
        foreach (var run in Runs(headers, rows, width))
        {
            FittedTable.Render(console, title, Pick(headers, run), rows.Select(r => Pick(r, run)).ToList(), [], rightFrom: 2);
            title = "";   // the next run's table follows after a blank line
        }
        console.WriteLine(Legend(results, columns));
    }

    /// <summary>The columns of each table: method, optimizer and as many learning rates after the last table's as fit
    /// <paramref name="width"/> (at least one).</summary>
    private static IEnumerable<int[]> Runs(string[] headers, List<string[]> rows, int width)
    {
        var run = new List<int>();
        for (int i = 2; i < headers.Length; i++)
        {
            int[] wider = [0, 1, .. run, i];
            if (run.Count > 0 && Width(Pick(headers, wider), rows.Select(r => Pick(r, wider)).ToList()) > width)
            {
                yield return [0, 1, .. run];
                run.Clear();
            }
            run.Add(i);
        }
        yield return [0, 1, .. run];
    }

    private static string[] Pick(string[] cells, int[] columns) => columns.Select(i => cells[i]).ToArray();

    /// <summary>The same table in Markdown, with the spread wherever seeds have one and the chosen rate in bold.</summary>
    public static IEnumerable<string> MarkdownLines(SweepResults results)
    {
        var columns = Columns(results);
        var headers = Headers(columns);
        yield return "| " + string.Join(" | ", headers) + " |";
        yield return "|---|---|" + string.Concat(Enumerable.Repeat("---:|", headers.Length - 2));
        bool spread = HasSpread(results);
        foreach (var row in results.Rows)
        {
            var cells = Aligned(row, columns).Select(r => r is null ? NotTrained
                : r.LearningRate == row.BestLearningRate ? $"**{ResultsMarkdown.Escape(Cell(r, spread))}**" : ResultsMarkdown.Escape(Cell(r, spread)));
            yield return $"| {ResultsMarkdown.Escape(row.Method)} | {ResultsMarkdown.Escape(row.Optimizer)} | {string.Join(" | ", cells)} |";
        }
        yield return "";
        yield return "Bold" + Legend(results, columns)["[ ]".Length..] + ".";
    }

    public static string Title(SweepResults results, bool spread) =>
        $"results of {results.Name} ({results.State.Name()}): {ResultsTable.Rule(results.Selection)} at each learning rate per method × optimizer, mean over seeds" +
        (spread ? " ± their standard deviation (points)" : "");

    private static string Legend(SweepResults results, double[] columns) =>
        "[ ]: the learning rate chosen; a rate without a score says why (diverged, failed, pending)" +
        (results.Rows.Any(r => Rates(r).Count < columns.Length) ? $"; {NotTrained}: a rate that row does not train" : "");

    /// <summary>Where a row does not train a column's rate: another row's own rate (rowRates).</summary>
    private const string NotTrained = "-";

    /// <summary>Every row's learning rates, each once, in the direction the first row's run (the grid's rates are every
    /// row's; a row's own rates, rowRates, are only its).</summary>
    internal static double[] Columns(SweepResults results)
    {
        var all = results.Rows.SelectMany(Rates).Select(r => r.LearningRate).Distinct();
        return Ascending(Rates(results.Rows[0])) ? [.. all.Order()] : [.. all.OrderDescending()];
    }

    /// <summary>The row's score at each column's rate; null where the row does not train it.</summary>
    internal static IEnumerable<RateScore?> Aligned(ResultRow row, double[] columns)
    {
        var byRate = Rates(row).ToDictionary(r => r.LearningRate);
        return columns.Select(lr => byRate.GetValueOrDefault(lr));
    }

    private static string[] Headers(double[] columns) => ["method", "optimizer", .. columns.Select(ResultsTable.Lr)];

    private static List<string[]> Rows(SweepResults results, double[] columns, bool spread) =>
        results.Rows.Select(row => (string[])[row.Method, row.Optimizer,
            .. Aligned(row, columns).Select(r => r is null ? NotTrained
                : r.LearningRate == row.BestLearningRate ? $"[{Cell(r, spread)}]" : Cell(r, spread))]).ToList();

    /// <summary>A rate's score ("87.55%", with <paramref name="spread"/> "87.55% ±0.41"), or why it has none.</summary>
    public static string Cell(RateScore rate, bool spread) => rate.Outcome != RateOutcome.Scored ? Outcome(rate)
        : spread ? ResultsTable.WithSpread(rate.Score, rate.ScoreStd) : ResultsTable.Percent(rate.Score);

    /// <summary>A rate's outcome in a word, for every table that shows one (terminal, Markdown, LaTeX): "diverged",
    /// "diverged 1/2" where some of its seeds completed, "failed", "pending".</summary>
    public static string Outcome(RateScore rate) =>
        rate.PartlyDiverged ? $"diverged {rate.DivergedSeeds}/{rate.Seeds}" : rate.Outcome.ToString().ToLowerInvariant();

    public static bool HasSpread(SweepResults results) => results.Rows.Any(r => Rates(r).Any(s => s.ScoreStd is not null));

    private static IReadOnlyList<RateScore> Rates(ResultRow row) => RatesOf(row, "results --rates");

    /// <summary>A row's rates for <paramref name="command"/>, in the order of size the spec lists its first two in (a grid
    /// grown with --extend lists its added rates last, which would break the response's order). Rows from silos of a
    /// build before per-rate scores have none: said, rather than drawn as an empty grid.</summary>
    public static IReadOnlyList<RateScore> RatesOf(ResultRow row, string command)
    {
        var rates = row.Rates ??
            throw new InvalidOperationException($"the silos answered without per-learning-rate scores (a build before 2026-12-06): run `{command}` against silos of this build");
        return Ascending(rates) ? [.. rates.OrderBy(r => r.LearningRate)] : [.. rates.OrderByDescending(r => r.LearningRate)];
    }

    /// <summary>Whether <paramref name="rates"/> run from small to large, as their first two do (so a list already put in
    /// order keeps the direction its spec had); a list of fewer runs large to small, as the study writes its grid.</summary>
    public static bool Ascending(IReadOnlyList<RateScore> rates) => rates.Count >= 2 && rates[0].LearningRate < rates[1].LearningRate;

    private static int Width(string[] headers, List<string[]> rows) =>
        headers.Length + 2 + TableFit.ColumnsWidth(headers, rows, headers.Length, int.MaxValue);
}
