using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary>What <c>refine</c> and <c>confirm</c> start from: a sweep's spec, its results under the rule the options give
/// (the spec's unless <c>--metric</c>/<c>--at</c>/<c>--window</c> say otherwise), and the rows <c>--method</c>/<c>--optimizer</c>
/// keep (<see cref="Asked"/>); and how both say so on stderr.</summary>
internal sealed record StoredPicks(SweepSpec Spec, SelectionSpec Rule, SweepResults Results, IReadOnlyList<ResultRow> Asked)
{
    /// <param name="refuse">A usage error the spec alone decides (a seed the sweep trained), asked before the results are read.</param>
    public static async Task<StoredPicks> ReadAsync(string sweep, ParseResult parse, SweepSourceOptions sources, SelectionOptions selection,
        RowFilterOptions rows, CancellationToken ct, Func<SweepSpec, string?>? refuse = null)
    {
        await using var source = await sources.OpenAsync(parse, ct);
        var spec = await source.GetSpecAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        if (refuse?.Invoke(spec) is { } problem) throw new UsageException(problem);
        var rule = selection.Given(parse) ? selection.Resolve(parse, spec.SelectionOrDefault, spec) : spec.SelectionOrDefault;
        var results = await source.GetResultsAsync(sweep, rule, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, results.State);
        var (methods, optimizers) = rows.Resolve(parse, spec);
        return new StoredPicks(spec, rule, results, [.. results.Rows.Where(r => methods.Contains(r.Method) && optimizers.Contains(r.Optimizer))]);
    }

    /// <summary>"picks by final train accuracy", and while the sweep runs "; still running, so picks may change".</summary>
    public string PicksBy => $"picks by {ResultsTable.Rule(Rule)}{(Results.State == SweepState.Running ? "; still running, so picks may change" : "")}";

    /// <summary>"15 of 18 rows" that --method/--optimizer left out; null where they left none.</summary>
    public string? LeftOut => Asked.Count < Results.Rows.Count ? $"{Results.Rows.Count - Asked.Count} of {Results.Rows.Count} rows" : null;
}
