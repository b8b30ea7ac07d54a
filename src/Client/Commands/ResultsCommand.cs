using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess results SWEEP [--metric M] [--at P] [--window N] [--rates] [--json|--markdown]</c>: the study-shaped
/// table (partial while the sweep runs), under the spec's selection rule or another one: re-ranking reads the stored
/// summaries, trains nothing. With <c>--rates</c>, every learning rate's score instead of the winner's accuracies.</summary>
internal sealed class ResultsCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly TableFormatOptions _format = new("The table as Markdown on stdout (for notes and reports)");
    private readonly SelectionOptions _selection = new(
        "Rank learning rates by this accuracy instead of the spec's selection.metric",
        "Read this point of each curve instead of the spec's selection.at");
    private readonly Option<bool> _rates = new("--rates")
    {
        Description = "A column per learning rate: each one's score under the rule (mean over seeds), the chosen one in brackets, " +
                      "or why it has none (JSON always has them, as each row's rates)",
    };

    public ResultsCommand() : base("results", "Best learning rate and accuracies per method × optimizer")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        _selection.AddTo(this);
        Options.Add(_rates);
        _format.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var format = _format.Read(parse);
        await using var source = await _source.OpenAsync(parse, ct);
        // Another rule than the spec's is resolved against the spec first, so the table is ranked once.
        SelectionSpec? asked = null;
        if (_selection.Given(parse))
        {
            var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
            var specRule = spec.SelectionOrDefault;
            asked = _selection.Resolve(parse, specRule, spec);
            if (asked != specRule) Output.Info($"re-ranked by {ResultsTable.Rule(asked)}; the spec selects by {ResultsTable.Rule(specRule)}");
        }
        var results = await source.GetResultsAsync(sweep, asked, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, results.State);
        bool rates = parse.GetValue(_rates);
        if (format == TableFormat.Json) JsonOutput.Write(results);
        else if (rates && format == TableFormat.Markdown)
        {
            Output.Info(RatesTable.Title(results, RatesTable.HasSpread(results)));
            foreach (var line in RatesTable.MarkdownLines(results)) Output.Line(line);
        }
        else if (rates) RatesTable.Render(results);
        else if (format == TableFormat.Markdown)
        {
            Output.Info(ResultsTable.Title(results, ResultsTable.HasSpread(results)));   // the rule, for the reader; the table alone on stdout
            foreach (var line in ResultsMarkdown.Lines(results)) Output.Line(line);
        }
        else ResultsTable.Render(results);
        return ExitCodes.Success;
    }
}
