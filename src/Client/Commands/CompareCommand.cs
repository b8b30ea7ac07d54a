using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Summaries;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess compare A B</c>: two sweeps' results side by side under one selection rule (A's, unless
/// <c>--metric</c>/<c>--at</c> say otherwise), the differences B − A, and the spec fields in which the sweeps differ:
/// an ablation's changed setting, or nothing but the name for a re-run. With <c>--rates</c>, both scores at every
/// learning rate instead of each side's best.</summary>
internal sealed class CompareCommand : Command
{
    private readonly Argument<string> _a = SweepArgument.Required("A", "The sweep compared against (A)");
    private readonly Argument<string> _b = SweepArgument.Required("B", "The sweep compared with it (B); deltas are B − A");
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly AgainstSourceOption _sourceB = new("B");
    private readonly TableFormatOptions _format = new("The comparison as Markdown on stdout",
        "The comparison as a LaTeX tabular (booktabs) on stdout: per method × optimizer each sweep's best learning rate, and per " +
        "accuracy A, B and B − A in points (with --rates: both scores at every rate, each side's chosen one in bold)");
    private readonly SelectionOptions _selection = new(
        "Rank both sweeps' learning rates by this accuracy instead of A's selection.metric",
        "Read this point of each curve instead of A's selection.at");
    private readonly Option<bool> _rates = new("--rates")
    {
        Description = "A line per learning rate: both sweeps' score at each rate under the rule, and B − A where both scored " +
                      "(JSON always has each row's rates)",
    };

    private readonly Option<bool> _cost = new("--cost")
    {
        Description = "What each method × optimizer cost in each sweep instead: training seconds per cell-epoch and in all (as " +
                      "results --cost), B's over A's, beside B − A of the selection metric",
    };

    private readonly RowFilterOptions _rows = new("Compare", "rows");

    public CompareCommand() : base("compare", "Compare two sweeps' results, method × optimizer by method × optimizer")
    {
        Arguments.Add(_a);
        Arguments.Add(_b);
        _source.AddTo(this);
        _sourceB.AddTo(this);
        _selection.AddTo(this);
        Options.Add(_rates);
        Options.Add(_cost);
        _rows.AddTo(this);
        _format.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var (a, b) = (parse.GetValue(_a)!, parse.GetValue(_b)!);
        _sourceB.CheckDistinct(parse, a, b, $"A and B are both '{a}'", _source.StateDirectory(parse));
        var format = _format.Read(parse);
        bool cost = parse.GetValue(_cost);
        if (cost && parse.GetValue(_rates)) throw new UsageException("--rates and --cost: one table at a time");
        await using var source = await _source.OpenAsync(parse, ct);
        await using var other = await _sourceB.OpenAsync(parse, ct);
        var sourceB = other ?? source;
        var specA = await source.GetSpecAsync(a, ct) ?? throw GrainSweepSource.SweepNotFound(a);
        var specB = await sourceB.GetSpecAsync(b, ct) ?? throw _sourceB.NotFound(parse, b);
        var labelB = _sourceB.Label(parse, a, b);
        var ruleA = specA.SelectionOrDefault;
        var rule = _selection.Resolve(parse, ruleA, specA, specB);
        if (rule != specB.SelectionOrDefault)
            Output.Info($"{labelB} is ranked by {ResultsTable.Rule(rule)} here; its spec selects by {ResultsTable.Rule(specB.SelectionOrDefault)}");
        if (rule != ruleA)
            Output.Info($"{a} is ranked by {ResultsTable.Rule(rule)} here; its spec selects by {ResultsTable.Rule(ruleA)}");
        var resultsA = await source.GetResultsAsync(a, rule, ct) ?? throw GrainSweepSource.SweepNotFound(a);
        var resultsB = (await sourceB.GetResultsAsync(b, rule, ct) ?? throw _sourceB.NotFound(parse, b)) with { Name = labelB };
        if (other is null) GrainSweepSource.NotePaused(source, resultsA.State, resultsB.State);
        else
        {
            GrainSweepSource.NotePaused(source, resultsA.State);
            GrainSweepSource.NotePaused(other, resultsB.State);
        }

        if (_rows.Given(parse))
        {
            // Names either sweep has: a confirmation or an ablation may train fewer rows than the sweep it is compared with.
            var (methods, optimizers) = _rows.Resolve(parse, [.. specA.Methods.Union(specB.Methods)], [.. specA.Optimizers.Union(specB.Optimizers)],
                $"sweeps '{a}' and '{labelB}'");
            bool Kept(ResultRow r) => methods.Contains(r.Method) && optimizers.Contains(r.Optimizer);
            (resultsA, resultsB) = (resultsA with { Rows = [.. resultsA.Rows.Where(Kept)] }, resultsB with { Rows = [.. resultsB.Rows.Where(Kept)] });
        }
        var comparison = SweepComparison.Of(specA, resultsA, specB, resultsB);
        if (cost) return await CostAsync(comparison, (source, a, specA), (sourceB, b, specB), format, ct);
        bool rates = parse.GetValue(_rates);
        if (format == TableFormat.Json) JsonOutput.Write(comparison);
        else if (rates && format == TableFormat.Markdown)
        {
            foreach (var line in RateComparisonTable.Heading(comparison)) Output.Info(line);
            foreach (var line in RateComparisonTable.MarkdownLines(comparison)) Output.Line(line);
        }
        else if (rates && format == TableFormat.Latex)
            foreach (var line in RateComparisonLatex.Lines(comparison)) Output.Line(line);
        else if (rates) RateComparisonTable.Render(comparison);
        else if (format == TableFormat.Latex)
            foreach (var line in ComparisonLatex.Lines(comparison)) Output.Line(line);
        else if (format == TableFormat.Markdown)
        {
            foreach (var line in ComparisonTable.Heading(comparison)) Output.Info(line);   // for the reader; the table alone on stdout
            foreach (var line in ComparisonMarkdown.Lines(comparison)) Output.Line(line);
        }
        else ComparisonTable.Render(comparison);
        return ExitCodes.Success;
    }

    /// <summary><c>--cost</c>: each side's <see cref="RowCost"/> per row of the comparison, from every cell's stored curve
    /// (its spec as the comparison already read it).</summary>
    private static async Task<int> CostAsync(SweepComparison comparison, (ISweepSource Source, string Sweep, SweepSpec Spec) sideA,
        (ISweepSource Source, string Sweep, SweepSpec Spec) sideB, TableFormat format, CancellationToken ct)
    {
        async Task<(IReadOnlyList<RowCost> Rows, IReadOnlyList<CellCurve> Curves)> Read((ISweepSource Source, string Sweep, SweepSpec Spec) side)
        {
            var status = await side.Source.GetStatusAsync(side.Sweep, ct) ?? throw GrainSweepSource.SweepNotFound(side.Sweep);
            var curves = await side.Source.GetCurvesAsync(side.Sweep, ct);
            return (RowCost.Of(side.Spec, status, curves), curves);
        }
        var ((costA, curvesA), (costB, curvesB)) = (await Read(sideA), await Read(sideB));
        var a = sideA.Sweep;
        var rows = ComparedCost.Of(comparison, costA, costB);
        if (format == TableFormat.Json)
            JsonOutput.Write(new { a = comparison.A, b = comparison.B, selection = comparison.Selection, rows });
        else if (format == TableFormat.Markdown)
        {
            foreach (var line in CostComparisonTable.Heading(comparison)) Output.Info(line);
            foreach (var line in CostComparisonTable.MarkdownLines(rows)) Output.Line(line);
        }
        else if (format == TableFormat.Latex)
            foreach (var line in CostComparisonLatex.Lines(comparison, rows)) Output.Line(line);
        else CostComparisonTable.Render(comparison, rows);
        return Math.Max(UnreadableCurves.Report(curvesA, a), UnreadableCurves.Report(curvesB, comparison.B.Name));
    }
}
