using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The best learning rate per method × optimizer as if the sweep had stopped earlier, beside its own choice: how
/// far the choice depends on the budget (docs/STUDY.md found 9 of 18 moving between 5 and 100 epochs). Each earlier
/// column is <c>results --at N</c> under the spec's metric and window; the last is the results table's.</summary>
internal static class BudgetTable
{
    /// <summary>Budgets a tenth, a quarter and a half of the way, as fractions of the spec's epochs.</summary>
    private static readonly (int Numerator, int Denominator)[] Fractions = [(1, 10), (1, 4), (1, 2)];

    /// <summary>The earlier epochs read: each fraction's epoch, at the evaluation at or before it, where the spec's window
    /// fits there; distinct, ascending, before the last.</summary>
    public static IReadOnlyList<int> Epochs(SweepSpec spec)
    {
        var window = spec.SelectionOrDefault.Evaluations;
        return Fractions.Select(f => (int)((long)spec.Epochs * f.Numerator / f.Denominator))
            .Select(e => e / spec.EvaluateEvery * spec.EvaluateEvery)
            .Where(e => e >= 1 && e < spec.Epochs && SelectionWindow.Problem(spec, SelectionPoint.Epoch, e, window) is null)
            .Distinct().Order().ToList();
    }

    /// <summary>The rule that reads the curves at <paramref name="epoch"/> as the spec's rule reads them at their end.</summary>
    public static SelectionSpec At(SelectionSpec rule, int epoch) => SelectionSpec.AtEpoch(rule.Metric, epoch) with { Window = rule.Window };

    /// <summary>A row per method × optimizer of <paramref name="final"/>: at each budget the learning rate picked and its
    /// score, the rate in bold where it is not the one <paramref name="final"/> picks; a legend below.</summary>
    public static IEnumerable<string> MarkdownLines(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final, int epochs)
    {
        yield return "| method | optimizer | " + string.Join(" | ", budgets.Select(b => $"epoch {b.Epoch}").Append($"epoch {epochs}")) + " |";
        yield return "|---|---|" + string.Concat(Enumerable.Repeat("---:|", budgets.Count + 1));
        foreach (var row in final.Rows)
        {
            var cells = budgets.Select(b => b.Results.Rows.FirstOrDefault(r => r.Method == row.Method && r.Optimizer == row.Optimizer))
                .Select(r => Cell(r, final.Selection.Metric, moved: r?.BestLearningRate is { } lr && lr != row.BestLearningRate))
                .Append(Cell(row, final.Selection.Metric, moved: false));
            yield return $"| {ResultsMarkdown.Escape(row.Method)} | {ResultsMarkdown.Escape(row.Optimizer)} | {string.Join(" | ", cells)} |";
        }
        yield return "";
        yield return $"Bold: a learning rate that the whole run's ranking ({ResultsMarkdown.Escape(ResultsTable.Rule(final.Selection))}) does not pick; " +
                     "each cell is the rate picked had the sweep stopped at that epoch, and its score.";
    }

    /// <summary>How many rows pick another rate at the earliest budget than at the end (the report's sentence on it).</summary>
    public static int MovedFromFirst(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final) =>
        budgets.Count == 0 ? 0 : final.Rows.Count(row => budgets[0].Results.Rows.FirstOrDefault(r => r.Method == row.Method && r.Optimizer == row.Optimizer)
            is { BestLearningRate: { } lr } && lr != row.BestLearningRate);

    private static string Cell(ResultRow? row, SelectionMetric metric, bool moved)
    {
        if (row?.BestLearningRate is not { } lr) return "-";
        var score = metric == SelectionMetric.TestAccuracy ? row.TestAccuracy : row.TrainAccuracy;
        var rate = ResultsTable.Lr(lr);
        return $"{(moved ? $"**{rate}**" : rate)} {ResultsTable.Percent(score)}";
    }
}
