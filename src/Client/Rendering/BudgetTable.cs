using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The best learning rate per method × optimizer as if the sweep had stopped earlier, beside its own choice: how
/// far the choice depends on the budget (docs/STUDY.md found 9 of 18 moving between 5 and 100 epochs). Each earlier
/// column is <c>results --at N</c> under the spec's metric and window; the last is the results table's.</summary>
internal static class BudgetTable
{
    /// <summary>Budgets a tenth, a quarter and a half of the way, as fractions of the spec's epochs.</summary>
    private static readonly (int Numerator, int Denominator)[] Fractions = [(1, 10), (1, 4), (1, 2)];

    /// <summary>The earlier epochs read: each fraction's epoch, at the evaluation at or before it, and the end of each
    /// length the sweep had before an extension raised its epochs (<paramref name="earlier"/>: what the picks were before
    /// it trained on, an evaluated epoch), where a window of <paramref name="window"/> evaluations fits there; distinct,
    /// ascending, before the last.</summary>
    public static IReadOnlyList<int> Epochs(SweepSpec spec, int window, IReadOnlyList<SweepSpec>? earlier = null)
    {
        return Fractions.Select(f => (int)((long)spec.Epochs * f.Numerator / f.Denominator))
            .Select(e => e / spec.EvaluateEvery * spec.EvaluateEvery)
            .Concat((earlier ?? []).Select(s => s.Epochs))
            .Where(e => e >= 1 && e < spec.Epochs && SelectionWindow.Problem(spec, SelectionPoint.Epoch, e, window) is null)
            .Distinct().Order().ToList();
    }

    /// <summary>The rule that reads the curves at <paramref name="epoch"/> as the spec's rule reads them at their end.</summary>
    public static SelectionSpec At(SelectionSpec rule, int epoch) => SelectionSpec.AtEpoch(rule.Metric, epoch) with { Window = rule.Window };

    /// <summary>A row per method × optimizer of <paramref name="final"/>: at each budget the learning rate picked and its
    /// score, the rate in bold where it is not the one <paramref name="final"/> picks; a legend below.</summary>
    public static IEnumerable<string> MarkdownLines(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final, int epochs)
    {
        yield return "| " + string.Join(" | ", Headers(budgets, epochs)) + " |";
        yield return "|---|---|" + string.Concat(Enumerable.Repeat("---:|", budgets.Count + 1));
        foreach (var row in Rows(budgets, final, rate => $"**{rate}**"))
            yield return "| " + string.Join(" | ", row.Select((cell, i) => i < 2 ? ResultsMarkdown.Escape(cell) : cell)) + " |";
        yield return "";
        yield return $"Bold: {Legend(final)}.";
    }

    /// <summary><c>results --budget</c> on a terminal: the same rows, a moved rate marked with an asterisk.</summary>
    public static void Render(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final, int epochs, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        FittedTable.Render(console, Title(final, epochs), Headers(budgets, epochs), Rows(budgets, final, rate => rate + "*"), [], rightFrom: 2);
        console.WriteLine("*: " + Legend(final));
    }

    /// <summary>"results of S (completed): the best learning rate per method × optimizer had it stopped at an earlier epoch
    /// (as results --at N ranks), and at its end (epoch 100), by final train accuracy".</summary>
    public static string Title(SweepResults final, int epochs) =>
        $"results of {final.Name} ({final.State.Name()}): best learning rate per method × optimizer had it stopped at an earlier epoch " +
        $"(as results --at N ranks it), and at its end (epoch {epochs}), by {ResultsTable.Rule(final.Selection)}, mean over seeds";

    private static string Legend(SweepResults final) =>
        $"a learning rate that the whole run's ranking ({ResultsTable.Rule(final.Selection)}) does not pick; " +
        "each cell is the rate picked had the sweep stopped at that epoch, and its score";

    private static string[] Headers(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, int epochs) =>
        ["method", "optimizer", .. budgets.Select(b => $"epoch {b.Epoch}"), $"epoch {epochs}"];

    /// <summary>Each row's cells, a rate the whole run does not pick written by <paramref name="moved"/>.</summary>
    private static List<string[]> Rows(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final, Func<string, string> moved) =>
        final.Rows.Select(row => (string[])[
            row.Method, row.Optimizer,
            .. budgets.Select(b => Cell(Pick(b.Results, row), final.Selection.Metric, row.BestLearningRate, moved)),
            Cell(row, final.Selection.Metric, row.BestLearningRate, moved)])
        .ToList();

    /// <summary>The row of <paramref name="results"/> for <paramref name="row"/>'s method × optimizer, if it has one.</summary>
    public static ResultRow? Pick(SweepResults results, ResultRow row) =>
        results.Rows.FirstOrDefault(r => r.Method == row.Method && r.Optimizer == row.Optimizer);

    /// <summary>How many rows pick another rate at the earliest budget than at the end (the report's sentence on it).</summary>
    public static int MovedFromFirst(IReadOnlyList<(int Epoch, SweepResults Results)> budgets, SweepResults final) =>
        budgets.Count == 0 ? 0 : final.Rows.Count(row => Pick(budgets[0].Results, row) is { BestLearningRate: { } lr } && lr != row.BestLearningRate);

    private static string Cell(ResultRow? row, SelectionMetric metric, double? finalPick, Func<string, string> moved)
    {
        if (row?.BestLearningRate is not { } lr) return "-";
        var rate = ResultsTable.Lr(lr);
        return $"{(lr != finalPick ? moved(rate) : rate)} {ResultsTable.Percent(ComparedMetric.Accuracy(row, metric))}";
    }
}
