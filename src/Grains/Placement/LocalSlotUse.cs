using GradGuessCluster.Grains.Diagnostics;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// This silo's training slots and how many of them its training grains hold, exported as the slot gauges
/// (<c>gradguess_gpu_slots_{used,free}</c>), and where it trains on the CPU what its packs hold of its memory for them
/// (<c>gradguess_cpu_memory_{held,limit}_bytes</c>, from <see cref="CpuPackMemory"/>) and the machine's free memory
/// (<c>gradguess_machine_memory_free_bytes</c>). Each silo reports its own devices
/// from start to stop, so the series follow silos joining and leaving, whichever silo hosts the
/// <see cref="GpuLedgerGrain"/> and whether it is active at all (the ledger, which once exported them, goes idle and
/// moves). The ledger stays the authority for placement.
/// </summary>
public sealed class LocalSlotUse(SiloSlots slots, ILocalSiloDetails silo, CpuPackMemory cpuMemory) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>What this silo advertises.</summary>
    public SiloSlots Slots => slots;

    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _stopped;   // grains releasing their slots while the silo stops must not bring the series back

    private string Key => silo.SiloAddress.ToParsableString();

    /// <summary>How many slots this silo's training grains hold now.</summary>
    public int Held
    {
        get { lock (_lock) return _held.Values.Sum(); }
    }

    /// <summary>A training grain here claimed a slot of <paramref name="device"/>.</summary>
    public void Take(string device)
    {
        lock (_lock) _held[device] = _held.GetValueOrDefault(device) + 1;
        Publish();
    }

    /// <summary>A training grain here released its slot of <paramref name="device"/>.</summary>
    public void Return(string device)
    {
        lock (_lock) _held[device] = Math.Max(0, _held.GetValueOrDefault(device) - 1);
        Publish();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalSlotUse), ServiceLifecycleStage.Active,
            _ =>
            {
                Publish();
                if (slots.Devices.Any(d => d.Device == SiloSlots.CpuDevice))
                    lock (_lock)
                        if (!_stopped) SweepInstruments.SetSiloCpuMemory(Key, silo.Name, () => cpuMemory.HeldBytes, cpuMemory.CapacityBytes,
                                () => cpuMemory.MachineFreeBytes);
                return Task.CompletedTask;
            },
            _ =>
            {
                lock (_lock) _stopped = true;
                SweepInstruments.ForgetSiloSlots(Key);
                return Task.CompletedTask;
            });

    private void Publish()
    {
        lock (_lock)
        {
            if (_stopped) return;
            var devices = slots.Devices
                .Select(d => (SiloSlots.DeviceIndex(d.Device), _held.GetValueOrDefault(d.Device), Math.Max(0, d.Slots - _held.GetValueOrDefault(d.Device))))
                .ToList();
            // Inside the lock: a stop between building and setting would otherwise leave the series behind.
            SweepInstruments.SetSiloSlots(Key, silo.Name, devices);
        }
    }
}
