using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>When each pack holding a slot ends, at its own pace (<see cref="CellStatus.SecondsLeft"/>), as the sweeps
/// holding them said: what a sweep waiting for a slot wants to know. A pack without an estimate (no pace yet, or its
/// sweep could not answer) has none.</summary>
internal sealed class PackEnds(IReadOnlyDictionary<(string Sweep, string Pack), double> seconds)
{
    public static readonly PackEnds None = new(new Dictionary<(string, string), double>());

    /// <summary>Seconds until <paramref name="pack"/> of <paramref name="sweep"/> ends; null without an estimate.</summary>
    public double? Of(string sweep, string pack) => seconds.TryGetValue((sweep, pack), out var s) ? s : null;

    public double? Of(SlotHolder holder) => Of(holder.Sweep, holder.Pack);

    /// <summary>Asks the sweeps holding slots (best effort: one that cannot answer leaves its packs without an estimate,
    /// and stderr says why).</summary>
    public static async Task<PackEnds> ReadAsync(ISweepSource source, ClusterSlots slots, CancellationToken ct)
    {
        var sweeps = slots.Silos.SelectMany(s => s.Devices).SelectMany(d => d.Held).Select(h => h.Sweep).Distinct(StringComparer.Ordinal);
        var statuses = await SweepStatuses.AskAsync(source, sweeps, "no time left for its packs", ct);
        var ends = new Dictionary<(string, string), double>();
        foreach (var status in statuses.OfType<SweepStatus>())
        foreach (var cell in status.Cells.Where(c => c.SecondsLeft is not null))
            ends[(status.Name, cell.PackId)] = cell.SecondsLeft!.Value;   // a pack's cells share its estimate
        return new PackEnds(ends);
    }
}
