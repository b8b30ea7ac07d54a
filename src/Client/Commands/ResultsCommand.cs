using System.CommandLine;
using System.Globalization;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess results SWEEP [--metric M] [--at P] [--window N] [--rates|--budget|--cost] [--json|--markdown|--latex]</c>: the study-shaped
/// table (partial while the sweep runs), under the spec's selection rule or another one: re-ranking reads the stored
/// summaries, trains nothing. With <c>--rates</c>, every learning rate's score instead of the winner's accuracies; with
/// <c>--budget</c>, the winner had the sweep stopped earlier; with <c>--cost</c>, what each row's cells took.</summary>
internal sealed class ResultsCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly TableFormatOptions _format = new("The table as Markdown on stdout (for notes and reports)",
        "The table as a LaTeX tabular (booktabs) on stdout, shaped as the study's: a row per method, per optimizer its best " +
        "learning rate and accuracies in per cent (with --rates: every rate's score; with --budget: each budget's pick and its score; " +
        "with --cost: what each row cost)");
    private readonly SelectionOptions _selection = new(
        "Rank learning rates by this accuracy instead of the spec's selection.metric",
        "Read this point of each curve instead of the spec's selection.at");
    private readonly Option<bool> _rates = new("--rates")
    {
        Description = "A column per learning rate: each one's score under the rule (mean over seeds), the chosen one in brackets, " +
                      "or why it has none (JSON always has them, as each row's rates)",
    };

    private readonly Option<bool> _budget = new("--budget")
    {
        Description = "The best learning rate had the sweep stopped at a tenth, a quarter and half of its epochs, beside its own " +
                      "(each as --at N ranks it; --metric and --window apply): how far the choice depends on the budget",
    };

    private readonly Option<bool> _cost = new("--cost")
    {
        Description = "What each method × optimizer cost instead: its cells' seconds per epoch (training and evaluation, each pack's " +
                      "time shared among its cells), against backprop's, and in all",
    };

    private readonly Option<string?> _budgetEpochs = new("--budget-epochs")
    {
        Description = "With --budget: the earlier epochs to read, comma-separated (default: a tenth, a quarter and half of the epochs, and " +
                      "where an extension raised the epochs, the ends the sweep had before)",
        HelpName = "E1,E2,...",
    };

    public ResultsCommand() : base("results", "Best learning rate and accuracies per method × optimizer")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        _selection.AddTo(this);
        Options.Add(_rates);
        Options.Add(_budget);
        Options.Add(_budgetEpochs);
        Options.Add(_cost);
        _format.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var format = _format.Read(parse);
        bool rates = parse.GetValue(_rates);
        bool cost = parse.GetValue(_cost);
        if (new[] { rates, parse.GetValue(_budget), cost }.Count(given => given) > 1)
            throw new UsageException("--rates, --budget and --cost: one table at a time");
        if (cost && _selection.Given(parse)) throw new UsageException("--cost reads the times every cell took: --metric, --at and --window rank learning rates, not times");
        if (parse.GetValue(_budgetEpochs) is not null && !parse.GetValue(_budget)) throw new UsageException("--budget-epochs: only with --budget");
        bool latex = format == TableFormat.Latex;
        await using var source = await _source.OpenAsync(parse, ct);
        if (parse.GetValue(_budget)) return await BudgetAsync(source, sweep, format, parse, ct);
        if (cost) return await CostAsync(source, sweep, format, ct);
        // Another rule than the spec's is resolved against the spec first, so the table is ranked once.
        SelectionSpec? asked = null;
        if (_selection.Given(parse))
        {
            var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
            var specRule = spec.SelectionOrDefault;
            asked = _selection.Resolve(parse, specRule, spec);
            if (asked != specRule) Output.Info($"re-ranked by {ResultsTable.Rule(asked)}; the spec selects by {ResultsTable.Rule(specRule)}");
            if (asked.At == SelectionPoint.Epoch && asked.Epoch < spec.Epochs) NoteAnnealing(sweep, spec);
        }
        var results = await source.GetResultsAsync(sweep, asked, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, results.State);
        if (format == TableFormat.Json) JsonOutput.Write(results);
        else if (rates && format == TableFormat.Markdown)
        {
            Output.Info(RatesTable.Title(results, RatesTable.HasSpread(results)));
            foreach (var line in RatesTable.MarkdownLines(results)) Output.Line(line);
        }
        else if (rates && latex)
            foreach (var line in RatesLatex.Lines(results)) Output.Line(line);
        else if (rates) RatesTable.Render(results);
        else if (latex)
            foreach (var line in ResultsLatex.Lines(results)) Output.Line(line);
        else if (format == TableFormat.Markdown)
        {
            Output.Info(ResultsTable.Title(results, ResultsTable.HasSpread(results)));   // the rule, for the reader; the table alone on stdout
            foreach (var line in ResultsMarkdown.Lines(results)) Output.Line(line);
        }
        else ResultsTable.Render(results);
        return ExitCodes.Success;
    }

    /// <summary>Under a cosine schedule an earlier epoch's curve is no shorter run's end: its rate had not annealed yet.</summary>
    private static void NoteAnnealing(string sweep, SweepSpec spec)
    {
        if (ScheduleRules.Anneals(spec))
            Output.Info($"note: sweep {sweep} anneals its learning rates over its {spec.Epochs} epochs (cosine): at an earlier epoch a cell's rate " +
                        "had not come down yet, so its score there is not what a run of that many epochs would have ended at");
    }

    /// <summary>The earlier epochs <c>--budget-epochs</c> names ("5,25,50"), each read at its evaluation as <c>--at</c> reads
    /// it, distinct and ascending; a usage error for an item that is no whole number, an epoch not before the sweep's last
    /// (the table's own column), or one where a window of <paramref name="window"/> evaluations does not fit.</summary>
    internal static IReadOnlyList<int> BudgetEpochs(SweepSpec spec, int window, string list)
    {
        var read = new SortedSet<int>();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) || epoch < 1)
                throw new UsageException($"--budget-epochs: expected whole numbers from 1, comma-separated, got '{item}'");
            if (epoch >= spec.Epochs)
                throw new UsageException($"--budget-epochs {epoch}: sweep '{spec.Name}' trains {Units.Count(spec.Epochs, "epoch")}; its last is the table's own column, give earlier ones");
            var at = SelectionOptions.ReadAt($"--budget-epochs {epoch}", spec, epoch);
            if (SelectionWindow.Problem(spec, SelectionPoint.Epoch, at, window) is { } wrong)
                throw new UsageException($"--budget-epochs {epoch}: {wrong}");
            read.Add(at);
        }
        return [.. read];
    }

    /// <summary><c>--cost</c>: each row's time per epoch and in all, from every cell's stored curve (<see cref="RowCost"/>).</summary>
    private static async Task<int> CostAsync(ISweepSource source, string sweep, TableFormat format, CancellationToken ct)
    {
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var status = await source.GetStatusAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, status.State);
        var curves = await source.GetCurvesAsync(sweep, ct);
        var rows = RowCost.Of(spec, status, curves);
        if (!status.IsFinished) Output.Info($"sweep {sweep} is still running: the times are those of the epochs recorded so far");
        if (format == TableFormat.Json) JsonOutput.Write(new { sweep, state = status.State, seconds = rows.Sum(r => r.Seconds), rows });
        else if (format == TableFormat.Latex)
            foreach (var line in CostLatex.Lines(sweep, rows)) Output.Line(line);
        else if (format == TableFormat.Markdown)
        {
            Output.Info(CostTable.Title(sweep));
            foreach (var line in CostTable.MarkdownLines(rows)) Output.Line(line);
        }
        else CostTable.Render(sweep, rows);
        return UnreadableCurves.Report(curves);
    }

    /// <summary><c>--budget</c>: the rule's ranking at earlier epochs beside the whole run's (<see cref="BudgetTable"/>).</summary>
    private async Task<int> BudgetAsync(ISweepSource source, string sweep, TableFormat format, ParseResult parse, CancellationToken ct)
    {
        var (spec, earlier) = await StoredSweep.ReadAsync(source, sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        var rule = _selection.Given(parse) ? _selection.Resolve(parse, spec.SelectionOrDefault, spec) : spec.SelectionOrDefault;
        if (rule.At != SelectionPoint.Final)
            throw new UsageException($"--budget ranks each budget by its last evaluation, as the whole run by its final one; the rule here is " +
                                     $"{ResultsTable.Rule(rule)} (give --at final)");
        var final = await source.GetResultsAsync(sweep, rule, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, final.State);
        var budgets = new List<(int Epoch, SweepResults Results)>();
        var epochs = parse.GetValue(_budgetEpochs) is { } list ? BudgetEpochs(spec, rule.Evaluations, list) : BudgetTable.Epochs(spec, rule.Evaluations, earlier);
        foreach (var epoch in epochs)
            budgets.Add((epoch, await source.GetResultsAsync(sweep, BudgetTable.At(rule, epoch), ct) ?? throw GrainSweepSource.SweepNotFound(sweep)));
        if (budgets.Count > 0) NoteAnnealing(sweep, spec);
        if (budgets.Count == 0)
            Output.Info($"sweep {sweep} trains {Units.Count(spec.Epochs, "epoch")}, evaluated every {spec.EvaluateEvery}: no earlier budget holds " +
                        $"{(rule.Evaluations == 1 ? "an evaluation" : $"the window's {rule.Evaluations} evaluations")}");
        if (format == TableFormat.Json)
            JsonOutput.Write(new
            {
                sweep, selection = rule, epochs = budgets.Select(b => b.Epoch).Append(spec.Epochs),
                rows = final.Rows.Select(row => new
                {
                    row.Method, row.Optimizer,
                    picks = budgets.Select(b => (Epoch: b.Epoch, Row: BudgetTable.Pick(b.Results, row))).Append((Epoch: spec.Epochs, Row: row))
                        .Select(p => new { epoch = p.Epoch, learningRate = p.Row?.BestLearningRate, score = ComparedMetric.Accuracy(p.Row, rule.Metric) }),
                }),
            });
        else if (format == TableFormat.Markdown)
        {
            Output.Info(BudgetTable.Title(final, spec.Epochs));
            foreach (var line in BudgetTable.MarkdownLines(budgets, final, spec.Epochs)) Output.Line(line);
        }
        else if (format == TableFormat.Latex)
            foreach (var line in BudgetLatex.Lines(budgets, final, spec.Epochs)) Output.Line(line);
        else BudgetTable.Render(budgets, final, spec.Epochs);
        return ExitCodes.Success;
    }
}
