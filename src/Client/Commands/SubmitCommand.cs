using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Reporting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess submit SPEC.yaml</c>: validates the spec and hands it to the cluster (idempotent: the identical
/// spec again changes nothing; with <c>--extend</c> a spec that adds grid values adds their cells). <c>--watch</c> then
/// follows it like <c>gradguess watch</c>.</summary>
internal sealed class SubmitCommand : Command
{
    private readonly Argument<string> _spec = new("SPEC") { Description = "Sweep spec (YAML)" };
    private readonly SweepSourceOptions _source = new(allowOffline: false);
    private readonly Option<bool> _watch = new("--watch") { Description = "Follow the sweep until it ends" };
    private readonly Option<bool> _extend = new("--extend") { Description = ExtendDescription };
    private readonly Option<int?> _priority = PriorityValue.Option();
    private readonly ReportOption _report = new();

    /// <summary><c>--extend</c>, for submit and local.</summary>
    public const string ExtendDescription =
        "Let a spec that adds values to an existing sweep's methods, optimizers, learningRates or seeds, or raises its epochs (nothing else " +
        "changed), add their cells to it or train its completed cells on to the new end";

    public SubmitCommand() : base("submit", "Submit a sweep to a running cluster")
    {
        Arguments.Add(_spec);
        _source.AddTo(this);
        Options.Add(_watch);
        Options.Add(_extend);
        Options.Add(_priority);
        _report.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        // Validated here first so a bad spec fails fast with every problem; the coordinator validates again: data on the
        // silos, and the cap on a pack's parameters, since a sweep that grew packs its learning rates apart, which only it
        // knows (the same spec again, or an extension, may be one that would not fit as a new sweep).
        if (_report.Given(parse) && !parse.GetValue(_watch)) throw new UsageException("--report: only with --watch (the report is written once the sweep has ended)");
        var spec = SweepSpecParser.ParseFile(parse.GetValue(_spec)!, earlierUnknown: true);
        var report = _report.Target(parse, stateDirectory: null);
        foreach (var warning in SpecWarnings.For(spec)) Output.Info("warning: " + warning);
        await using var connection = await _source.ConnectAsync(parse, ct);
        var coordinator = connection.Client.GetGrain<ISweepCoordinatorGrain>(spec.Name);
        var priority = parse.GetValue(_priority);
        var extend = parse.GetValue(_extend);
        // Refused as plan --extend refuses it: an extension of a sweep that is not there (a misspelt name) created one.
        if (extend && await coordinator.GetStatusAsync().WaitAsync(ct) is null) throw NothingToExtend(spec.Name);
        var submitted = extend ? await coordinator.ExtendAsync(spec, priority) : await coordinator.SubmitAsync(spec, priority);
        Output.Line(Submitted(submitted));
        if (!parse.GetValue(_watch)) return ExitCodes.Success;
        var last = await WatchCommand.FollowAsync(connection, spec.Name, TimeSpan.FromSeconds(1), ct);
        await WatchCommand.RenderResultsAsync(coordinator, last, ct);
        ProgressView.ReportFailures(last, $"gradguess resume {spec.Name} retries them");
        return await ReportOption.WriteAfterAsync(last is null ? null : report, connection.Client, spec.Name, ExitCodes.ForSweep(last), null, ct);
    }

    /// <summary>An <c>--extend</c> of a sweep that does not exist, for submit and local.</summary>
    /// <param name="verb">What the way out does: "submit" to a cluster, "run" for <c>local</c>.</param>
    public static UsageException NothingToExtend(string sweep, string? where = null, string verb = "submit") =>
        new($"--extend: there is no sweep named '{sweep}'{where} to extend; {verb} it without --extend");

    /// <summary>What a submit did: created, extended, or nothing (or only the priority) changed.</summary>
    internal static string Submitted(SubmitResult s)
    {
        var priority = s.PriorityBefore is { } before ? $"priority {before} -> {s.Priority}"
            : s.Priority != SweepPriority.Default ? $"priority {s.Priority}" : null;
        return s.Created ? $"submitted sweep {s.Name}: {s.Cells} cells in {s.Packs} packs" + (priority is null ? "" : $", {priority}")
            : s.Extended ? $"extended sweep {s.Name}: {Extended(s)}" + (s.PriorityBefore is null ? "" : $"; {priority}")
            : SameCells(s) is { } same ? $"sweep {s.Name}: {same}" + (s.PriorityBefore is null ? "" : $"; {priority}")
            : s.PriorityBefore is not null ? $"sweep {s.Name} already exists with this spec ({s.State.Name()}); {priority}"
            : $"sweep {s.Name} already exists with this spec ({s.State.Name()}); nothing changed";
    }

    /// <summary>What an extension that added no cell changed: "learningRates +3e-3 from every row's rowRates (the same
    /// cells), maxCells 100 -> 200, no cells added"; null where it changed neither.</summary>
    public static string? SameCells(SubmitResult s)
    {
        var what = new List<string>();
        if (s.MovedRates is { Count: > 0 } moved)
            what.Add($"learningRates +{string.Join(", +", moved.Select(LearningRateText.Of))} from every row's rowRates (the same cells)");
        if (s.MaxCellsBefore is { } before) what.Add($"maxCells {before} -> {s.MaxCells}");
        return what.Count == 0 ? null : string.Join(", ", what) + ", no cells added";
    }

    public static string Extended(SubmitResult extended)
    {
        var what = new List<string>();
        if (extended.EpochsBefore is { } before)
            what.Add($"epochs {before} -> {extended.Epochs}, {extended.ReopenedCells} completed cells train on from their checkpoints");
        if (extended.AddedCells > 0) what.Add($"{extended.AddedCells} cells added in {extended.AddedPacks} packs");
        return $"{string.Join("; ", what)} ({extended.Cells} cells in {extended.Packs} packs in all)";
    }
}
