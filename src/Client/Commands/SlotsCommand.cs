using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;

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
        if (parse.GetValue(_json)) JsonOutput.Write(slots);
        else SlotsView.Render(slots, DateTimeOffset.UtcNow);
        return ExitCodes.Success;
    }
}
