using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess status [SWEEP] [--json|--spec]</c>: every sweep, or one sweep's cells (or its stored spec); from a
/// cluster or <c>--state-dir</c>.</summary>
internal sealed class StatusCommand : Command
{
    private readonly Argument<string?> _sweep = SweepArgument.Optional("Sweep name (default: list every sweep)");
    private readonly SweepSourceOptions _source = new(allowOffline: true);
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };
    private readonly Option<bool> _spec = new("--spec")
    {
        Description = "The sweep's spec as stored, as YAML on stdout, every field written out: run again (local, submit) it is the same sweep",
    };

    public StatusCommand() : base("status", "Show every sweep, or one sweep's progress cell by cell")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_json);
        Options.Add(_spec);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        bool json = parse.GetValue(_json);
        if (parse.GetValue(_spec) && (json || parse.GetValue(_sweep) is null))
            throw new UsageException(json ? "--spec and --json: the spec is YAML; give one or the other" : "--spec: name the sweep whose spec to print");
        await using var source = await _source.OpenAsync(parse, ct);
        if (parse.GetValue(_spec))
        {
            var name = parse.GetValue(_sweep)!;
            Output.Line(SweepSpecWriter.Write(await source.GetSpecAsync(name, ct) ?? throw GrainSweepSource.SweepNotFound(name)).TrimEnd('\n'));
            return ExitCodes.Success;
        }
        if (parse.GetValue(_sweep) is not { } sweep)
        {
            var sweeps = await ListAsync(source, ct);
            if (json) JsonOutput.Write(sweeps);
            else SweepListView.Render(sweeps);
            GrainSweepSource.NotePaused(source, sweeps.Select(s => s.State));
            return ExitCodes.Success;
        }
        var status = await source.GetStatusAsync(sweep, ct) ?? throw GrainSweepSource.SweepNotFound(sweep);
        GrainSweepSource.NotePaused(source, status.State);
        var stored = await StoredSweep.ReadAsync(source, sweep, ct);
        if (json)
        {
            // The status as it always was, and how the sweep grew with --extend (an empty list for one never grown).
            var node = System.Text.Json.Nodes.JsonNode.Parse(JsonOutput.Serialize(status))!.AsObject();
            node["growth"] = System.Text.Json.Nodes.JsonNode.Parse(JsonOutput.Serialize(stored is var (s, e) ? GrowthText.Steps(e, s) : []));
            Output.Line(node.ToJsonString(JsonOutput.Options));
        }
        else SweepStatusView.Render(status, stored is var (spec, earlier) ? GrowthText.Of(earlier, spec) : null);
        return ExitCodes.Success;
    }

    /// <summary>The registry's sweeps, each with its coordinator's progress; one that cannot answer keeps its registry
    /// entry (<see cref="SweepStatuses.AskAsync"/>).</summary>
    private static async Task<IReadOnlyList<SweepListView.Entry>> ListAsync(ISweepSource source, CancellationToken ct)
    {
        var sweeps = await source.ListAsync(ct);
        var statuses = await SweepStatuses.AskAsync(source, sweeps.Select(s => s.Name), "no progress to show", ct);
        return sweeps.Zip(statuses, SweepListView.Entry.Of).ToList();
    }
}
