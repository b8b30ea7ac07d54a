using System.Globalization;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Reporting;

/// <summary>A figure of the report: its file, and the line under it that says what it shows.</summary>
internal sealed record ReportFigure(string File, string Caption, byte[] Png);

/// <summary>What a report is written from, all read before a line of it is written.</summary>
/// <param name="Missing">Figures not drawn, each with why ("no cosine was sampled").</param>
/// <param name="Unreadable">Cells whose curves could not be read, each with the sweep it is of where that is not this one.</param>
/// <param name="Source">Where the sweep was read: "the state directory X", "the cluster at Y".</param>
/// <param name="Budgets">The results as if the sweep had stopped at earlier epochs (<see cref="BudgetTable"/>); none for a
/// sweep still running or one that selects by its best epoch.</param>
/// <param name="Against">The comparison with another sweep (<c>report --against</c>), if one was asked for.</param>
/// <param name="Earlier">The specs the sweep had before <see cref="Spec"/>, oldest first; null if it never grew.</param>
/// <param name="Costs">What each method × optimizer's cells took (<c>results --cost</c>); none: no section.</param>
/// <param name="AgainstCosts">With <see cref="Against"/>: both sweeps' costs per row (<c>compare A B --cost</c>).</param>
internal sealed record ReportInput(
    SweepSpec Spec, SweepStatus Status, SweepResults Results, IReadOnlyList<CellSummary> Cells, int Window,
    IReadOnlyList<ReportFigure> Figures, IReadOnlyList<string> Missing, IReadOnlyList<(string? Of, CellCurve Cell)> Unreadable, string Source,
    DateTimeOffset Written, IReadOnlyList<(int Epoch, SweepResults Results)>? Budgets = null, SweepComparison? Against = null,
    IReadOnlyList<SweepSpec>? Earlier = null, IReadOnlyList<RowCost>? Costs = null, IReadOnlyList<ComparedCost>? AgainstCosts = null);

/// <summary>The report's README.md: the sweep in a paragraph, the results table, every rate's score, the figures, the
/// diagnostics where the spec sampled them, what went wrong, and the files beside it. The tables are the ones
/// <c>results --markdown</c>, <c>results --rates --markdown</c> and <c>diagnostics --markdown</c> print.</summary>
internal static class SweepReport
{
    public static string Markdown(ReportInput input) =>
        string.Concat(new[] { Header, Results, Next, Budget, Against, Curves, Diagnostics, Cost, ProblemsSection, Files }
            .SelectMany(section => section(input)).Select(line => line + "\n"));

    /// <summary>The marker, the title, and the sweep in two paragraphs: its state and times, its grid and data.</summary>
    private static IEnumerable<string> Header(ReportInput input)
    {
        var (spec, status) = (input.Spec, input.Status);
        yield return ReportDirectory.Marker;
        yield return $"# {spec.Name}";
        yield return "";
        yield return Sentence(ResultsMarkdown.Escape(SweepStatusView.Summary(status)));
        yield return Timing(status) + $" Written by `gradguess report` at {Utc(input.Written)} from {input.Source}.";
        yield return "";
        yield return Grid(spec) + " The spec is [spec.yaml](spec.yaml): `./gradguess local spec.yaml` trains the same cells again " +
                     (GrowthText.RaisedFrom(input.Earlier, spec) is { } created
                         ? $"(on the CPU to the same curves, but under other cell ids: this sweep's cells were named when it had {created} epochs; "
                         : "(the same cell ids; ") +
                     "`data.dir`, where set, names this machine's files).";
        if (GrowthText.Of(input.Earlier, spec) is { } growth)
            yield return $"Grown with `--extend`: {ResultsMarkdown.Escape(growth)}; the cells a step added or lengthened trained in a later run than the rest.";
        if (status.Data is { } data) yield return $"Data: {ResultsMarkdown.Escape(data.Source)} (digest `{data.Digest}`).";
        if (!status.IsFinished)
            yield return "The sweep was still running: this is a snapshot, and the tables hold the cells that had ended. " +
                         $"`gradguess report {spec.Name} --out DIR` again writes a later one.";
        yield return "";
    }

    /// <summary>The results table, then every rate's score and its figure.</summary>
    private static IEnumerable<string> Results(ReportInput input)
    {
        var results = input.Results;
        yield return "## Best learning rate per method × optimizer";
        yield return "";
        if (results.Rows.Count == 0)
        {
            yield return "No cell has ended yet.";
            yield return "";
            yield break;
        }
        yield return Sentence(ResultsTable.Title(results, ResultsTable.HasSpread(results)));
        yield return "";
        foreach (var line in ResultsMarkdown.Lines(results)) yield return line;
        yield return "";
        yield return "## Every learning rate";
        yield return "";
        yield return Sentence(RatesTable.Title(results, RatesTable.HasSpread(results)));
        yield return "";
        foreach (var line in RatesTable.MarkdownLines(results)) yield return line;
        yield return "";
        foreach (var line in Figure(input, ReportFigures.Rates)) yield return line;
    }

    /// <summary>The learning rates <c>refine</c> would add, for each row that asks for any, and the command that writes them.</summary>
    private static IEnumerable<string> Next(ReportInput input)
    {
        var (spec, results) = (input.Spec, input.Results);
        var rows = GridRefinement.Propose(spec, results.Rows, GridRefinement.DefaultResolution, edgesOnly: false);
        var refinement = GridRefinement.Apply(spec, rows);
        if (refinement.Added.Count == 0) yield break;
        yield return "## Learning rates to try next";
        yield return "";
        yield return $"One grid step past each pick at the grid's edge, and the middle toward each neighbour more than {GridRefinement.DefaultResolution:G}× " +
                     $"from a pick: `gradguess refine {spec.Name} --out next.yaml` writes the spec with these added to each row's `rowRates` " +
                     "(to `learningRates` where every row asks for one), " +
                     $"and `local|submit next.yaml --extend` trains only their {refinement.CellsAdded} cells.";
        yield return "";
        yield return "| method | optimizer | pick | add |";
        yield return "|---|---|---:|---|";
        foreach (var row in rows.Where(r => r.Rates.Count > 0))
            yield return $"| {ResultsMarkdown.Escape(row.Method)} | {ResultsMarkdown.Escape(row.Optimizer)} | {(row.Best is { } b ? LearningRateText.Of(b) : "-")} | " +
                         $"{ResultsMarkdown.Escape(row.Text)} |";
        yield return "";
    }

    private static IEnumerable<string> Budget(ReportInput input)
    {
        if (input.Budgets is not { Count: > 0 } budgets || input.Results.Rows.Count == 0) yield break;
        yield return "## The budget";
        yield return "";
        yield return $"The best learning rate had the sweep stopped earlier (`results --at N`): {BudgetTable.MovedFromFirst(budgets, input.Results)} of " +
                     $"{input.Results.Rows.Count} rows pick another rate at epoch {budgets[0].Epoch} than at epoch {input.Spec.Epochs}.";
        yield return "";
        foreach (var line in BudgetTable.MarkdownLines(budgets, input.Results, input.Spec.Epochs)) yield return line;
        yield return "";
    }

    /// <summary>What <c>compare A B</c> and <c>compare A B --rates</c> print in Markdown, and the best-LR curves figure.</summary>
    private static IEnumerable<string> Against(ReportInput input)
    {
        if (input.Against is not { } comparison) yield break;
        yield return $"## Against {ResultsMarkdown.Escape(comparison.B.Name)}";
        yield return "";
        yield return string.Join(" ", ComparisonTable.Heading(comparison).Select(l => Sentence(ResultsMarkdown.Escape(l))));
        yield return "";
        foreach (var line in ComparisonMarkdown.Lines(comparison)) yield return line;
        yield return "";
        yield return Sentence(ResultsMarkdown.Escape(RateComparisonTable.Heading(comparison).ElementAt(1)));
        yield return "";
        foreach (var line in RateComparisonTable.MarkdownLines(comparison)) yield return line;
        yield return "";
        if (HasAgainstCost(input) && input.AgainstCosts is { } costs)
        {
            yield return Sentence(ResultsMarkdown.Escape(CostComparisonTable.Heading(comparison).ElementAt(1)));
            yield return "";
            foreach (var line in CostComparisonTable.MarkdownLines(costs)) yield return line;
            yield return "";
        }
        foreach (var line in Figure(input, ReportFigures.Against)) yield return line;
    }

    /// <summary>The accuracy and loss figures, and each figure left out with why.</summary>
    private static IEnumerable<string> Curves(ReportInput input)
    {
        yield return "## Curves";
        yield return "";
        foreach (var line in Figure(input, ReportFigures.Accuracy).Concat(Figure(input, ReportFigures.Loss))) yield return line;
        foreach (var missing in input.Missing) yield return $"- {ResultsMarkdown.Escape(missing)}";
        if (input.Missing.Count > 0) yield return "";
    }

    /// <summary>The diagnostics table (as <c>diagnostics --markdown</c>) and the cosine figure, where the spec samples them.</summary>
    private static IEnumerable<string> Diagnostics(ReportInput input)
    {
        if (input.Spec.DiagnosticsOrDefault is { CosineEvery: 0, EffectiveRank: false }) yield break;
        yield return "## Diagnostics";
        yield return "";
        yield return Sentence(CellSummaryTable.Title(input.Spec.Name, input.Window));
        yield return "";
        foreach (var line in CellSummaryTable.MarkdownLines(input.Cells)) yield return line;
        yield return "";
        foreach (var line in Figure(input, ReportFigures.Cosine)) yield return line;
    }

    /// <summary>What each row's cells took, as <c>results --cost --markdown</c> writes it, once any epoch is recorded.</summary>
    private static IEnumerable<string> Cost(ReportInput input)
    {
        if (!HasCost(input)) yield break;
        var costs = input.Costs!;
        yield return "## What it cost";
        yield return "";
        yield return Sentence(CostTable.Title(input.Spec.Name));
        yield return "";
        foreach (var line in CostTable.MarkdownLines(costs)) yield return line;
        yield return "";
        foreach (var line in Figure(input, ReportFigures.Time)) yield return line;
    }

    /// <summary>Whether any row has trained an epoch: before that there is no cost to show.</summary>
    public static bool HasCost(ReportInput input) => input.Costs?.Any(c => c.CellEpochs > 0) == true;

    /// <summary>Whether the report has a comparison of costs: against another sweep, either of which trained a row.</summary>
    public static bool HasAgainstCost(ReportInput input) => input.AgainstCosts?.Any(c => c.A?.CellEpochs > 0 || c.B?.CellEpochs > 0) == true;

    private static IEnumerable<string> ProblemsSection(ReportInput input)
    {
        var problems = Problems(input.Status, input.Unreadable).ToList();
        if (problems.Count == 0) yield break;
        yield return "## Problems";
        yield return "";
        foreach (var problem in problems) yield return "- " + ResultsMarkdown.Escape(problem);
        yield return "";
    }

    private static IEnumerable<string> Files(ReportInput input)
    {
        yield return "## Files";
        yield return "";
        yield return "| file | what it holds |";
        yield return "|---|---|";
        yield return "| README.md | this report |";
        yield return "| spec.yaml | the sweep's spec, every field written out |";
        yield return "| curves.csv | every cell's curve, a row per evaluated epoch (as `gradguess export --format csv` writes it) |";
        yield return "| results.tex | the results table for a paper, a booktabs tabular shaped as the study's (as `gradguess results --latex` writes it) |";
        yield return "| rates.tex | every learning rate's score as a booktabs tabular (as `gradguess results --rates --latex` writes it) |";
        if (input.Budgets is { Count: > 0 })
            yield return "| budget.tex | the budget table as a booktabs tabular (as `gradguess results --budget --latex` writes it) |";
        if (HasCost(input))
            yield return "| cost.tex | what each method × optimizer cost as a booktabs tabular (as `gradguess results --cost --latex` writes it) |";
        if (input.Against is not null)
        {
            yield return "| comparison.tex | the comparison with the other sweep as a booktabs tabular (as `gradguess compare --latex` writes it) |";
            yield return "| comparison-rates.tex | both sweeps' scores at every learning rate as a booktabs tabular (as `gradguess compare --rates --latex` writes it) |";
        }
        if (HasAgainstCost(input))
            yield return "| comparison-cost.tex | both sweeps' costs side by side as a booktabs tabular (as `gradguess compare --cost --latex` writes it) |";
        foreach (var figure in input.Figures) yield return $"| {figure.File} | {ResultsMarkdown.Escape(figure.Caption)} |";
    }

    /// <summary>The figure written as <paramref name="file"/>, with its caption under it; nothing where it was not drawn.</summary>
    private static IEnumerable<string> Figure(ReportInput input, string file) =>
        input.Figures.FirstOrDefault(f => f.File == file) is { } figure
            ? [$"![{figure.Caption}]({figure.File})", "", $"*{figure.Caption}.*", ""]
            : [];

    /// <summary>"6 methods (backprop, wt, ...) × 3 optimizers (...) × 4 learning rates (1e-2 to 1e-5) × 1 seed = 72 cells:
    /// 100 epochs each at batch 512 on fashion-mnist, a 3 × 128 ReLU MLP."</summary>
    private static string Grid(SweepSpec spec)
    {
        static string Axis(int n, string what, IEnumerable<string> values) =>
            $"{n} {what}{(n == 1 ? "" : "s")} ({string.Join(", ", values)})";
        var model = spec.Model;
        var product = $"{Axis(spec.Methods.Count, "method", spec.Methods)} × {Axis(spec.Optimizers.Count, "optimizer", spec.Optimizers)} × " +
                      $"{Axis(spec.LearningRates.Count, "learning rate", spec.LearningRates.Select(ResultsTable.Lr))}";
        // Each row's own rates named where few rows have them; a refined grid's are in every row, which the rates table shows.
        var own = spec.RowRatesOrEmpty.Select(r => $"{r.Method} × {r.Optimizer}: {string.Join(", ", r.LearningRates.Select(ResultsTable.Lr))}").ToList();
        var rows = own.Count <= GrowthText.MaxRowsNamed ? $" ({string.Join("; ", own)})" : $" in {own.Count} rows, `rowRates` (the table of every rate's score below has them)";
        var grid = own.Count == 0 ? product
            : spec.LearningRates.Count == 0 ? $"({Axis(spec.Methods.Count, "method", spec.Methods)} × {Axis(spec.Optimizers.Count, "optimizer", spec.Optimizers)}, each row with rates of its own: {spec.RowRateCount} rates{rows})"
            : $"({product} + {spec.RowRateCount} rates of single rows{rows})";
        return $"The grid: {grid} × " +
               $"{Axis(spec.Seeds.Count, "seed", spec.Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))} = {spec.CellCount} cells: " +
               $"{spec.Epochs} epochs each at batch {spec.BatchSize} on {spec.Data.Set}, a {model.Depth} × {model.Width} ReLU MLP{Start(model)}.";
    }

    /// <summary>Where the cells' weights started, where not from PyTorch's default draws: a file (by name and digest, which
    /// the report's spec.yaml gives in full) or a scale.</summary>
    private static string Start(ModelSpec model) =>
        model.Init is { } file ? $" started from the weights in `{Path.GetFileName(file)}` (digest `{model.InitDigest}`)"
        : model.InitScale is { } k ? $" initialised at {k.ToString("R", CultureInfo.InvariantCulture)} × PyTorch's default"
        : "";

    /// <summary>"Submitted 2026-12-06 10:00 UTC, finished 10:24 UTC (about 24 min)." or "Submitted ...; running."</summary>
    private static string Timing(SweepStatus status)
    {
        var submitted = $"Submitted {Utc(status.CreatedAt)}";
        if (status.FinishedAt is not { } finished) return submitted + "; running" + TimeLeft.Suffix(status) + ".";
        return $"{submitted}, {status.State.Name()} {Utc(finished)} ({TimeLeft.Duration(finished - status.CreatedAt)}).";
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The sweep's problem, each failed cell's error, and each cell whose stored curve could not be read (of the
/// --against sweep where <c>Of</c> names it).</summary>
    private static IEnumerable<string> Problems(SweepStatus status, IReadOnlyList<(string? Of, CellCurve Cell)> unreadable)
    {
        if (status.Problem is { } problem) yield return "the sweep: " + problem;
        foreach (var cell in status.Cells.Where(c => c.Error is not null))
            yield return $"{ProgressView.Describe(cell.Config)} ({cell.State.Name()}): {cell.Error}";
        foreach (var (of, cell) in unreadable)
            yield return of is null
                ? $"cell {cell.CellId} is left out of the curves, the figures and curves.csv, and no budget table is read: {cell.Unreadable}"
                : $"cell {cell.CellId} of {of} is left out of against.png: {cell.Unreadable}";
    }

    /// <summary>A title line of the terminal tables as a sentence.</summary>
    private static string Sentence(string title) => char.ToUpperInvariant(title[0]) + title[1..] + ".";
}
