using System.CommandLine;
using System.Globalization;
using System.Text;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Export;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Refinement;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess refine SWEEP [--out FILE]</c>: the sweep's spec with the learning rates its results ask for next
/// (past a pick at the grid's edge, between a pick and a distant neighbour), each in its own row's <c>rowRates</c> (in
/// <c>learningRates</c> where every row has it), ready
/// for <c>local|submit FILE --extend</c>, which trains only the added cells. Reads the stored results; trains and submits nothing.</summary>
internal sealed class RefineCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly SelectionOptions _selection = new(
        "Pick each row's learning rate by this accuracy instead of the spec's selection.metric",
        "Read this point of each curve instead of the spec's selection.at");
    private readonly Option<string?> _out = new("--out")
    {
        Description = "Write the refined spec here (default: stdout); the summary goes to stderr either way",
        HelpName = "FILE",
    };
    private readonly Option<double> _resolution = new("--resolution")
    {
        Description = "Add the middle between a pick and its neighbour only where they are more than this factor apart",
        DefaultValueFactory = _ => GridRefinement.DefaultResolution,
        HelpName = "FACTOR",
    };
    private readonly Option<bool> _edgesOnly = new("--edges-only")
    {
        Description = "Only the rates past picks at the grid's edge (and below a row that diverged at every rate), no middles",
    };
    private readonly Option<int?> _maxRates = new("--max-rates")
    {
        Description = "Add at most N learning rates to each row: past the grid's edge first, then toward the better neighbour",
        HelpName = "N",
    };
    private readonly RowFilterOptions _rows = new("Refine", "rows");
    private readonly Option<bool> _json = new("--json") { Description = "The proposals as JSON on stdout (the spec only with --out)" };

    public RefineCommand() : base("refine",
        "The sweep's spec with the learning rates its picks call for next, each in its row's rowRates, to grow it with local|submit --extend")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        _selection.AddTo(this);
        foreach (var o in new Option[] { _out, _resolution, _edgesOnly, _maxRates }) Options.Add(o);
        _rows.AddTo(this);
        Options.Add(_json);
        _maxRates.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < 1)
                r.AddError($"--max-rates must be a whole number from 1, got '{r.Tokens[0].Value}'");
        });
        // The tokens themselves: a value that is no number is the parser's error (asking for the value would throw).
        _resolution.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && !(f > 1 && f <= 1000))
                r.AddError($"--resolution must be above 1 and at most 1000, got '{r.Tokens[0].Value}'");
        });
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var outPath = parse.GetValue(_out);
        bool json = parse.GetValue(_json);
        if (outPath is not null) OutFile.Check("--out", outPath);   // before anything is read
        var picks = await StoredPicks.ReadAsync(sweep, parse, _source, _selection, _rows, ct);
        var (spec, rule) = (picks.Spec, picks.Rule);
        var rows = GridRefinement.Propose(spec, picks.Asked, parse.GetValue(_resolution), parse.GetValue(_edgesOnly));
        var refinement = GridRefinement.Apply(spec, rows, parse.GetValue(_maxRates));
        var (added, leftOut) = (refinement.Added, refinement.LeftOut);
        var yaml = added.Count > 0 ? WrittenSpec.Yaml(refinement.Spec, "the refined spec") : null;   // a grid past maxCells is refused here, naming it

        Output.Info($"refine {sweep} ({picks.PicksBy}):");
        foreach (var line in SummaryLines(rows)) Output.Info("  " + line);
        if (picks.LeftOut is { } leftAlone) Output.Info($"left alone by --method/--optimizer: {leftAlone}");
        if (leftOut.Count > 0)
            Output.Info($"left out by --max-rates: {string.Join("; ", leftOut.Select(l => $"{l.Method} × {l.Optimizer} {string.Join(", ", l.LearningRates.Select(LearningRateText.Of))}"))}");
        if (added.Count == 0) Output.Info("nothing to add: no pick asks for another learning rate");
        else
        {
            int rates = added.Sum(r => r.LearningRates.Count);
            Output.Info($"added: {Units.Count(rates, "learning rate")} to {Units.Count(added.Count, "row")} × {Units.Count(spec.Seeds.Count, "seed")} = {Units.Count(refinement.CellsAdded, "cell")}");
            Output.Info(refinement.ToGrid.Count == 0 ? "each in its row's rowRates"
                : $"learningRates +{string.Join(", +", refinement.ToGrid.Select(LearningRateText.Of))}: every row has {(refinement.ToGrid.Count == 1 ? "it" : "them")} now" +
                  (refinement.Spec.RowRatesOrEmpty.Count > 0 ? "; the rest in each row's rowRates" : ""));
            if (outPath is not null) OutFile.Write(outPath, stream => stream.Write(Encoding.UTF8.GetBytes(yaml!)));
            var file = outPath is null ? "SPEC.yaml" : LocalSweep.ShellWord(outPath);
            var stateDir = _source.StateDirectory(parse) is { } dir ? $" --state-dir {LocalSweep.ShellWord(dir)}" : "";
            Output.Info($"cost: ./gradguess plan {file} --extend{stateDir} --measure");
            Output.Info($"next: ./gradguess {(stateDir.Length > 0 ? "local" : "submit")} {file} --extend{stateDir}");
        }

        if (json)
            JsonOutput.Write(new
            {
                sweep, selection = rule, resolution = parse.GetValue(_resolution), rows, added, cellsAdded = refinement.CellsAdded, leftOut,
                learningRates = refinement.Spec.LearningRates, rowRates = refinement.Spec.RowRatesOrEmpty, @out = added.Count > 0 ? outPath : null,
            });
        else if (yaml is not null && outPath is null) Output.Line(yaml.TrimEnd('\n'));
        return ExitCodes.Success;
    }

    /// <summary>A line per row: "wt × adamw  pick 1e-2: 1e-1 (past the top edge), 3e-3 (toward 1e-3)".</summary>
    internal static IEnumerable<string> SummaryLines(IReadOnlyList<RowProposal> rows)
    {
        var width = rows.Select(r => Label(r).Length).DefaultIfEmpty(0).Max();
        foreach (var row in rows)
        {
            var pick = row.Best is { } b ? $"pick {LearningRateText.Of(b)}" : "no pick";
            yield return $"{Label(row).PadRight(width)}  {pick}: {row.Text}";
        }
    }

    private static string Label(RowProposal row) => $"{row.Method} × {row.Optimizer}";
}
