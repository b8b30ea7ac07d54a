using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Cluster;

/// <summary>When each pack holding a slot ends, at its own pace (<see cref="CellStatus.SecondsLeft"/>), asked of the
/// sweeps that hold them: what a sweep waiting for a slot wants to know. Best effort: a sweep that cannot answer leaves
/// its packs without an estimate, and stderr says why.</summary>
internal static class PackEnds
{
    public static async Task<IReadOnlyDictionary<(string Sweep, string Pack), double>> ReadAsync(IGrainFactory grains, ClusterSlots slots, CancellationToken ct)
    {
        var sweeps = slots.Silos.SelectMany(s => s.Devices).SelectMany(d => d.Held).Select(h => h.Sweep).Distinct(StringComparer.Ordinal);
        var statuses = await Task.WhenAll(sweeps.Select(async sweep =>
        {
            try
            {
                return await grains.GetGrain<ISweepCoordinatorGrain>(sweep).GetStatusAsync().WaitAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Output.Info($"sweep {sweep}: no time left for its packs: {Failures.Describe(e)}");
                return null;
            }
        }));
        var ends = new Dictionary<(string, string), double>();
        foreach (var status in statuses.OfType<SweepStatus>())
        foreach (var cell in status.Cells.Where(c => c.SecondsLeft is not null))
            ends[(status.Name, cell.PackId)] = cell.SecondsLeft!.Value;   // a pack's cells share its estimate
        return ends;
    }
}
