using System.CommandLine;
using System.Text.Json.Nodes;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess slots</c>: the cluster's training slots, the packs holding them and the sweeps waiting for one:
/// what to look at when a sweep says it waits for slots.</summary>
internal sealed class SlotsCommand : Command
{
    private readonly SweepSourceOptions _source = new(allowOffline: false);
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };

    public SlotsCommand() : base("slots", "Show the cluster's training slots, the packs holding them and the sweeps waiting for one")
    {
        _source.AddTo(this);
        Options.Add(_json);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        await using var connection = await _source.ConnectAsync(parse, ct);
        var slots = await connection.Client.GetGrain<IGpuLedgerGrain>(0).GetSlotsAsync().WaitAsync(ct);
        var ends = await PackEnds.ReadAsync(new GrainSweepSource(connection.Client, lifetime: null), slots, ct);   // the connection outlives it
        if (parse.GetValue(_json)) Output.Line(Json(slots, ends));
        else SlotsView.Render(slots, DateTimeOffset.UtcNow, ends);
        return ExitCodes.Success;
    }

    /// <summary>The slots as the ledger has them, each holder with its pack's <c>secondsLeft</c> (null: no estimate yet).</summary>
    internal static string Json(ClusterSlots slots, PackEnds ends)
    {
        var node = JsonNode.Parse(JsonOutput.Serialize(slots))!;
        foreach (var holder in node["silos"]!.AsArray().SelectMany(s => s!["devices"]!.AsArray()).SelectMany(d => d!["held"]!.AsArray()))
            holder!["secondsLeft"] = ends.Of((string)holder["sweep"]!, (string)holder["pack"]!);
        return node.ToJsonString(JsonOutput.Options);
    }
}
