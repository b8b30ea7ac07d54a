using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Placement;

/// <summary>The ledger's view for <c>gradguess slots</c>: who holds which slot, and who waits.</summary>
public sealed partial class GpuLedgerGrain
{
    public Task<ClusterSlots> GetSlotsAsync()
    {
        if (Prune()) ScheduleSave();
        var silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .Select(m => SiloView(m.SiloAddress, m.Name))
            .ToList();
        var waiting = _demand.Current(DateTimeOffset.UtcNow).Where(d => d.Queued > 0)
            .OrderBy(d => d.Since).ThenBy(d => d.Sweep, StringComparer.Ordinal)
            .Select(d => new SlotWait(d.Sweep, d.Queued, d.Since))
            .ToList();
        var shown = silos.SelectMany(s => s.Devices).SelectMany(d => d.Held).Select(h => h.Sweep).Concat(waiting.Select(w => w.Sweep)).ToHashSet();
        var priorities = Priorities.Where(kv => shown.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return Task.FromResult(new ClusterSlots(silos, waiting, options.Value.PreemptAfter, priorities.Count > 0 ? priorities : null));
    }

    private SiloSlotsView SiloView(SiloAddress silo, string name)
    {
        var address = silo.ToParsableString();
        var held = Reservations.Where(kv => kv.Value.Silo == address).ToList();
        var slots = SlotsOf(silo);
        var devices = slots.Devices
            .Select(d => new DeviceSlotsView(d.Device, d.Slots, held
                .Where(kv => kv.Value.Device == d.Device)
                .Select(kv => PackOf(kv.Key) is { } pack
                    ? new SlotHolder(pack.Sweep, pack.PackId, kv.Value.Claimed, kv.Value.ReservedAt, _yielding.TryGetValue(kv.Key, out var y) ? y.To : null)
                    : null)
                .OfType<SlotHolder>()
                .OrderBy(h => h.Since)
                .ToList(),
                // The silo's memory for packs, on its CPU row: CPU packs and GPU packs' rollback copies hold it alike.
                d.Device == SiloSlots.CpuDevice ? slots.CpuMemoryBytes : 0,
                d.Device == SiloSlots.CpuDevice ? held.Sum(kv => kv.Value.CpuBytes) : 0))
            .ToList();
        return new SiloSlotsView(name, silo.Endpoint.ToString(), devices);
    }
}
