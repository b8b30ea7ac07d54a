using System.CommandLine;
using System.CommandLine.Completions;
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

/// <summary><c>gradguess confirm SWEEP --seeds 1,2 [--top N] [--out FILE]</c>: the spec of a new sweep that trains each
/// row's top N scored learning rates again on other seeds, every other setting the sweep's: whether its picks hold
/// beyond the seeds that made them. Reads the stored results; trains and submits nothing.</summary>
internal sealed class ConfirmCommand : Command
{
    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly SelectionOptions _selection = new(
        "Rank each row's learning rates by this accuracy instead of the spec's selection.metric",
        "Read this point of each curve instead of the spec's selection.at");
    private readonly Option<string> _seeds = new("--seeds")
    {
        Description = "Train on these seeds, comma-separated (1,2): none the sweep trained, which would train its curves again",
        HelpName = "LIST",
        Required = true,
    };
    private readonly Option<int> _top = new("--top")
    {
        Description = "Confirm each row's N best scored learning rates: its pick, the runner-up, ...",
        DefaultValueFactory = _ => Confirmation.DefaultTop,
        HelpName = "N",
    };
    private readonly Option<string?> _name = new("--name") { Description = "The new sweep's name (default: SWEEP-confirm)", HelpName = "NAME" };
    private readonly Option<string?> _out = new("--out")
    {
        Description = "Write the new sweep's spec here (default: stdout); the summary goes to stderr either way",
        HelpName = "FILE",
    };
    private readonly RowFilterOptions _rows = new("Confirm", "rows");
    private readonly Option<bool> _json = new("--json") { Description = "The confirmed rates as JSON on stdout (the spec only with --out)" };

    public ConfirmCommand() : base("confirm",
        "A new sweep's spec that trains each row's best learning rates again on other seeds, to see whether the picks hold")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        _selection.AddTo(this);
        foreach (var o in new Option[] { _seeds, _top, _name, _out }) Options.Add(o);
        _rows.AddTo(this);
        Options.Add(_json);
        // The tokens themselves: a value that is no number is the parser's error (asking for the value would throw).
        _top.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < 1)
                r.AddError($"--top must be a whole number from 1, got '{r.Tokens[0].Value}'");
        });
        _name.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && SweepNames.Problem(r.Tokens[0].Value) is { } problem) r.AddError($"--name: {problem}");
        });
        // A new name, not a stored sweep's (which SweepArgument.Option would offer): the default for the line's SWEEP.
        _name.CompletionSources.Add(context =>
            context.ParseResult.GetResult(_sweep) is { Tokens: [var sweep, ..] } && Confirmation.DefaultName(sweep.Value) is { } name ? [new CompletionItem(name)] : []);
        _seeds.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && Confirmation.ReadSeeds(r.Tokens[0].Value).Problem is { } problem) r.AddError(problem);
        });
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var seeds = Confirmation.ReadSeeds(parse.GetValue(_seeds)!).Seeds;
        var top = parse.GetValue(_top);
        var name = parse.GetValue(_name) ?? Confirmation.DefaultName(sweep)
            ?? throw new UsageException($"'{sweep}{Confirmation.Suffix}' would be past a sweep name's {SweepNames.MaxLength} characters: give the new sweep's name with --name");
        if (name == sweep) throw new UsageException($"--name: '{name}' is the sweep's own name; the confirmation is a new sweep beside it");
        var outPath = parse.GetValue(_out);
        bool json = parse.GetValue(_json);
        if (outPath is not null) OutFile.Check("--out", outPath);   // before anything is read
        var picks = await StoredPicks.ReadAsync(sweep, parse, _source, _selection, _rows, ct, refuse: spec => Confirmation.OwnSeed(spec, seeds));
        var (spec, rule) = (picks.Spec, picks.Rule);
        var rows = Confirmation.Choose(picks.Asked, top);
        var confirmed = Confirmation.Spec(spec, name, rows, seeds);
        var yaml = WrittenSpec.Yaml(confirmed, "the confirming spec");   // a grid past maxCells is refused here, naming it

        Output.Info($"confirm {sweep} on {(seeds.Count == 1 ? "seed" : "seeds")} {string.Join(", ", seeds)} as '{name}' ({picks.PicksBy}):");
        foreach (var line in SummaryLines(rows, top)) Output.Info("  " + line);
        if (picks.LeftOut is { } leftOut) Output.Info($"left out by --method/--optimizer: {leftOut}");
        Output.Info($"confirm: {Units.Count(confirmed.CellCount, "cell")} ({Cells(rows, seeds.Count)})");
        if (OneRateNote(rows, top) is { } oneRate) Output.Info(oneRate);
        Output.Info(confirmed.LearningRates.Count == 0 ? "the rows share no learning rate: each row's are in its rowRates"
            : $"learningRates {string.Join(", ", confirmed.LearningRates.Select(LearningRateText.Of))}: every row trains {(confirmed.LearningRates.Count == 1 ? "it" : "them")}" +
              (confirmed.RowRatesOrEmpty.Count > 0 ? "; the rest in each row's rowRates" : ""));
        if (rule != spec.SelectionOrDefault)
            Output.Info($"the new sweep selects by the sweep's rule, {ResultsTable.Rule(spec.SelectionOrDefault)}: give compare the same options to rank both as here");
        if (outPath is not null) OutFile.Write(outPath, stream => stream.Write(Encoding.UTF8.GetBytes(yaml)));
        var file = outPath is null ? "SPEC.yaml" : LocalSweep.ShellWord(outPath);
        var stateDir = _source.StateDirectory(parse) is { } dir ? $" --state-dir {LocalSweep.ShellWord(dir)}" : "";
        Output.Info($"cost: ./gradguess plan {file} --measure");
        Output.Info($"next: ./gradguess {(stateDir.Length > 0 ? $"local {file}{stateDir}" : $"submit {file}")}");
        Output.Info($"then: ./gradguess compare {sweep} {name} --rates{_rows.Words(parse)}{stateDir}");

        if (json)
            JsonOutput.Write(new
            {
                sweep, name, selection = rule, top, seeds,
                rows = rows.Select(r => new { r.Method, r.Optimizer, pick = r.Rates[0].LearningRate, rates = r.Rates.Select(s => new { s.LearningRate, s.Score, s.ScoreStd }) }),
                cells = confirmed.CellCount, learningRates = confirmed.LearningRates, rowRates = confirmed.RowRatesOrEmpty, @out = outPath,
            });
        else if (outPath is null) Output.Line(yaml.TrimEnd('\n'));
        return ExitCodes.Success;
    }

    /// <summary>Where a row confirms its pick alone, what a divergence on a new seed would leave: no result for the row,
    /// since a seed's divergence rules its rate out (seen on a confirmation whose one rate a row diverged on seed 1).</summary>
    internal static string? OneRateNote(IReadOnlyList<ConfirmedRow> rows, int top)
    {
        int alone = rows.Count(r => r.Rates.Count == 1);
        if (alone == 0) return null;
        var who = alone == rows.Count ? "every row confirms its pick alone" : $"{Units.Count(alone, "row")} {(alone == 1 ? "confirms" : "confirm")} its pick alone";
        return $"{who}: a pick that diverges on a new seed leaves its row with no result (a seed's divergence rules its rate out)" +
               (top == 1 ? "; --top 2 keeps the runner-up beside it" : "");
    }

    /// <summary>"18 rows × 2 rates × 2 seeds", or where rows confirm different numbers of rates, "35 rates in 18 rows × 2 seeds".</summary>
    private static string Cells(IReadOnlyList<ConfirmedRow> rows, int seeds)
    {
        var counts = rows.Select(r => r.Rates.Count).Distinct().ToList();
        var rates = counts.Count == 1
            ? $"{Units.Count(rows.Count, "row")} × {Units.Count(counts[0], "rate")}"
            : $"{Units.Count(rows.Sum(r => r.Rates.Count), "rate")} in {Units.Count(rows.Count, "row")}";
        return $"{rates} × {Units.Count(seeds, "seed")}";
    }

    /// <summary>A line per row: "wt × adamw: 1e-3 (pick, 75.65%), 5e-4 (74.90%)", and where it has fewer scored rates than
    /// asked for, how many.</summary>
    internal static IEnumerable<string> SummaryLines(IReadOnlyList<ConfirmedRow> rows, int top)
    {
        var width = rows.Select(r => Label(r).Length).DefaultIfEmpty(0).Max();
        foreach (var row in rows)
        {
            var rates = row.Rates.Select((r, i) => $"{LearningRateText.Of(r.LearningRate)} ({(i == 0 ? "pick, " : "")}{ResultsTable.Percent(r.Score)})");
            var fewer = row.Rates.Count < top ? $"; only {Units.Count(row.Rates.Count, "scored rate")}" : "";
            yield return $"{(Label(row) + ":").PadRight(width + 1)} {string.Join(", ", rates)}{fewer}";
        }
    }

    private static string Label(ConfirmedRow row) => $"{row.Method} × {row.Optimizer}";
}
