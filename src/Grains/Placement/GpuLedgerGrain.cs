using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// Cluster-wide occupancy of training slots (<see cref="IGpuLedgerGrain"/>): capacity from each silo's metadata,
/// reservations per training grain (idempotent). Reservations on silos the membership no longer lists as alive are
/// dropped, and so are reservations no activation claimed in time and claims whose lease was not renewed. A claim is
/// written before it is confirmed (an activation trains only on a durable claim); reservations and releases are written
/// shortly after, coalesced: one lost with a moved ledger is re-reserved by the claim, or expires with its lease.
/// </summary>
[GrainType("gg-slots")]
public sealed partial class GpuLedgerGrain(
    [PersistentState("slots", GradGuessSiloOptions.StorageName)] IPersistentState<GpuLedgerState> state,
    IClusterMembershipService membership, ISiloMetadataCache metadata, IOptions<GradGuessSiloOptions> options,
    ILogger<GpuLedgerGrain> logger)
    : Grain, IGpuLedgerGrain
{
    private CoalescingStateWriter? _writerOnce;
    private readonly SlotDemands _demand = new(options.Value.WatchdogInterval);
    private readonly SlotPromises _promises = new(options.Value.WatchdogInterval);
    // Packs told to give up their slot, by reservation key, until they release it (soft state: a moved ledger forgets them,
    // and at worst one more pack yields than needed).
    private readonly Dictionary<string, (string From, string To)> _yielding = new();
    // The free memory a silo's machine last refused a pack for, by silo (soft state: a moved ledger forgets it, and the
    // pack is refused there once more). Trusted for MachineNoteLife: memory frees as packs and other processes end.
    private readonly Dictionary<string, (long Free, DateTimeOffset At)> _machineFree = new();
    private static readonly TimeSpan MachineNoteLife = TimeSpan.FromSeconds(30);
    // Since when each sweep with a priority has neither held nor waited for a slot (soft state: a moved ledger starts
    // the wait again, and keeps a priority longer at worst).
    private readonly Dictionary<string, DateTimeOffset> _idleSince = new();
    // Leases and reservations count from no earlier than this activation: those read from storage were renewed by the
    // clock of another host, and while the ledger moved (its silo died) no renewal could reach it. Without this, the new
    // activation's first prune could drop every running pack's lease at once and give their devices out again.
    private readonly DateTimeOffset _activatedAt = DateTimeOffset.UtcNow;

    // On an ETag conflict the ledger re-reads itself: claims re-reserve what a lost write held. (Made on first use: a
    // field initializer cannot reach DeactivateOnIdle.)
    private CoalescingStateWriter Writer => _writerOnce ??=
        new(() => state.WriteStateAsync(), TimeSpan.FromMilliseconds(250), e => LogWriteFailed(logger, e), DeactivateOnIdle);

    private Dictionary<string, LedgerEntry> Reservations => state.State.Reservations;

    private Dictionary<string, int> Priorities => state.State.Priorities ??= new();

    public Task<SiloAddress?> ReserveAsync(GrainId grain, SiloAddress[] candidates, long cpuBytes, long gpuHostBytes = 0)
    {
        var bytes = new PackHostBytes(cpuBytes, gpuHostBytes);
        var changed = Prune();
        var key = grain.ToString();
        if (Reservations.TryGetValue(key, out var held))
        {
            var heldSilo = SiloAddress.FromParsableString(held.Silo);
            if (candidates.Contains(heldSilo))
            {
                if (changed) ScheduleSave();
                return Task.FromResult<SiloAddress?>(heldSilo);
            }
            Reservations.Remove(key);
            changed = true;
        }
        // Slots promised to other sweeps are theirs: a pack placed without a grant (one its watchdog starts again after
        // its silo died) waits for its share instead, as the placement's refusal queues it.
        var best = PromisedAway(key) ? default : Best(candidates, bytes);
        if (best.Device is not null)
        {
            Reservations[key] = new LedgerEntry
            {
                Silo = best.Silo.ToParsableString(), Device = best.Device, ReservedAt = DateTimeOffset.UtcNow, CpuBytes = bytes.On(best.Device),
            };
            _promises.Redeem(SweepOf(key), key);
            changed = true;
        }
        if (changed) ScheduleSave();
        return Task.FromResult(best.Device is null ? null : best.Silo);
    }

    public Task<SiloAddress?> ChooseAsync(SiloAddress[] candidates, long cpuBytes, long gpuHostBytes = 0)
    {
        if (Prune()) ScheduleSave();
        var best = Best(candidates, new PackHostBytes(cpuBytes, gpuHostBytes));
        return Task.FromResult(best.Device is null ? null : best.Silo);
    }

    /// <summary>A free GPU anywhere before any CPU slot (a CPU trains a pack many times slower, and a pack that later moves
    /// to a GPU resumes with other numerics); among slots of a kind, a silo whose memory has room for what the pack holds
    /// there (a CPU pack its state, a GPU pack its rollback copy) before one that would refuse it (it would wait there,
    /// and be placed there again while that silo has the most free slots); then the silo with the most free slots of that
    /// kind. Where no memory has room, the silo's refusal says why. No device: no candidate has a free slot.</summary>
    private (SiloAddress Silo, string? Device) Best(SiloAddress[] candidates, PackHostBytes bytes)
    {
        var best = candidates.Where(IsActive)
            .Select(s => (Silo: s, Device: FreeDevice(s, out var free), Free: free))
            .Where(c => c.Device is not null)
            .OrderByDescending(c => c.Device != SiloSlots.CpuDevice)
            .ThenByDescending(c => HostMemoryFits(c.Silo, bytes.On(c.Device!)))
            .ThenByDescending(c => c.Free)
            .ThenBy(c => c.Silo.ToParsableString(), StringComparer.Ordinal)
            .FirstOrDefault();
        return (best.Silo, best.Device);
    }

    public async Task<SlotReservation?> ClaimAsync(GrainId grain, SiloAddress silo, string? device, long cpuBytes, long gpuHostBytes = 0)
    {
        var pruned = Prune();
        var key = grain.ToString();
        if (Reservations.TryGetValue(key, out var held) && held.Silo != silo.ToParsableString())
        {
            // A renewal from another silo than the claim's is a stale activation's (its silo declared dead while it ran):
            // the pack's run is the claim's, which keeps its slot.
            if (device is not null && held.Claimed)
            {
                if (pruned) ScheduleSave();   // else a ledger activated again reads the lapsed leases back, as new
                return null;
            }
            Reservations.Remove(key);   // placed elsewhere than reserved (placement retried): take a slot here instead
        }
        if (!Reservations.TryGetValue(key, out held))
        {
            if (FreeDevice(silo, out _, device) is not { } free)
            {
                ScheduleSave();
                return null;
            }
            held = Reservations[key] = new LedgerEntry { Silo = silo.ToParsableString(), Device = free, ReservedAt = DateTimeOffset.UtcNow };
            // A renewal re-taking its lapsed lease was granted its slot long ago: a promise of its sweep is another pack's.
            if (device is null) _promises.Redeem(SweepOf(key), key);
        }
        // A start (not a renewal) is a new run: a yield its last run was told of, and whose release was lost, is not its.
        if (device is null) _yielding.Remove(key);
        held.Claimed = true;
        held.RenewedAt = DateTimeOffset.UtcNow;
        held.CpuBytes = new PackHostBytes(cpuBytes, gpuHostBytes).On(held.Device);   // the pack's own figure, over placement's hint
        await SaveAsync();
        return ToReservation(key, held);
    }

    public Task ReleaseAsync(GrainId grain)
    {
        var key = grain.ToString();
        var released = Reservations.Remove(key);
        if (Prune() | released) ScheduleSave();
        // The sweep a yielded slot was given up for is woken even if it was woken a moment ago.
        var yieldedTo = _yielding.Remove(key, out var yielded) ? yielded.To : null;
        if (yieldedTo is not null) Wake(yieldedTo);
        if (released) WakeWaiting([SweepOf(key), yieldedTo]);
        return Task.CompletedTask;
    }

    public Task ReleaseFromAsync(GrainId grain, SiloAddress silo) =>
        Reservations.TryGetValue(grain.ToString(), out var held) && held.Claimed && held.Silo != silo.ToParsableString()
            ? Task.CompletedTask
            : ReleaseAsync(grain);

    public Task ReleaseForMachineMemoryAsync(GrainId grain, SiloAddress silo, long freeBytes)
    {
        _machineFree[silo.ToParsableString()] = (freeBytes, DateTimeOffset.UtcNow);
        return ReleaseFromAsync(grain, silo);
    }

    public Task<bool> ReleaseUnclaimedAsync(GrainId grain)
    {
        var key = grain.ToString();
        var reserved = Reservations.TryGetValue(key, out var held);
        var released = reserved && !held!.Claimed && Reservations.Remove(key);
        if (!reserved) _promises.Redeem(SweepOf(key), key);   // a start that failed before placement reserved its slot
        if (Prune() | released) ScheduleSave();
        if (released) WakeWaiting([SweepOf(key)]);
        return Task.FromResult(released);
    }

    public Task<SlotCapacity> GetCapacityAsync()
    {
        if (Prune()) ScheduleSave();
        return Task.FromResult(Capacity(out _));
    }

    public Task<SlotShare> GetShareAsync(string sweep, int queued, int priority, long cpuBytes = 0, long gpuHostBytes = 0)
    {
        SweepPriority.Validate(priority);
        var changed = Prune() | RecordPriority(sweep, priority);
        var now = DateTimeOffset.UtcNow;
        _promises.Withdraw(sweep);   // its packs started on its last grant are placed by now
        var (capacity, free, holding) = Sharing(now);
        var bytes = new PackHostBytes(cpuBytes, gpuHostBytes);
        var share = _demand.Ask(sweep, queued, bytes, now, free, holding, Priorities, Room());
        var granted = share.GetValueOrDefault(sweep);
        _promises.Grant(sweep, granted, now, bytes);
        var waiting = _demand.Current(now).Select(d => d.Sweep).ToHashSet();
        if (ForgetIdlePriorities(holding, waiting, now) | changed) ScheduleSave();
        foreach (var other in share.Keys.Where(other => other != sweep && _demand.ShouldWake(other, now))) Wake(other);
        var sweeps = holding.Keys.Union(waiting).Append(sweep).Distinct().Count();
        // Free slots left (not granted or promised) that have no room for its next pack: what it waits for is memory.
        var left = Room();
        var noRoom = queued > granted ? left.Free - left.Count(bytes) : 0;
        return Task.FromResult(new SlotShare(granted, capacity.Total, sweeps, noRoom));
    }

    public Task SetPriorityAsync(string sweep, int priority)
    {
        SweepPriority.Validate(priority);
        if (RecordPriority(sweep, priority)) ScheduleSave();
        return Task.CompletedTask;
    }

    /// <summary>Keeps <paramref name="sweep"/>'s priority (the default by having no entry); true when it changed.</summary>
    private bool RecordPriority(string sweep, int priority)
    {
        if (priority == SweepPriority.Default) return Priorities.Remove(sweep);
        if (Priorities.GetValueOrDefault(sweep) == priority) return false;
        Priorities[sweep] = priority;
        return true;
    }

    /// <summary>Drops the priorities of sweeps that have neither held nor waited for a slot for a lease's time (finished,
    /// deleted, cancelled): a sweep that asks again says its priority with it. Not at once: a sweep whose packs all ran on
    /// a silo just declared dead holds nothing until its watchdog places them again, and asks nothing (none is queued),
    /// so its priority would not come back, and its packs would yield as if it had the default. True when one went.</summary>
    private bool ForgetIdlePriorities(IReadOnlyDictionary<string, int> holding, IReadOnlySet<string> waiting, DateTimeOffset now)
    {
        foreach (var active in _idleSince.Keys.Where(s => holding.ContainsKey(s) || waiting.Contains(s) || !Priorities.ContainsKey(s)).ToList())
            _idleSince.Remove(active);
        var forgotten = new List<string>();
        foreach (var sweep in Priorities.Keys.Where(s => !holding.ContainsKey(s) && !waiting.Contains(s)))
        {
            if (!_idleSince.TryAdd(sweep, now) && now - _idleSince[sweep] >= options.Value.SlotLeaseTimeout) forgotten.Add(sweep);
        }
        foreach (var sweep in forgotten)
        {
            Priorities.Remove(sweep);
            _idleSince.Remove(sweep);
        }
        return forgotten.Count > 0;
    }

    public Task<string?> YieldSlotAsync(GrainId grain)
    {
        if (Prune()) ScheduleSave();
        var key = grain.ToString();
        foreach (var gone in _yielding.Keys.Where(k => !Reservations.ContainsKey(k)).ToList()) _yielding.Remove(gone);
        var now = DateTimeOffset.UtcNow;
        if (_yielding.TryGetValue(key, out var told))
        {
            // Asked again: the pack did not hear the answer (its reply was lost) and trains on. Told again only while the
            // sweep it was for still waits: one that got a slot meanwhile, or was cancelled, needs none from this pack.
            if (_demand.Current(now).Any(d => d.Sweep == told.To)) return Task.FromResult<string?>(told.To);
            _yielding.Remove(key);
        }
        if (options.Value.PreemptAfter <= TimeSpan.Zero || !Reservations.ContainsKey(key) || SweepOf(key) is not { } sweep)
            return Task.FromResult<string?>(null);
        var (_, free, holding) = Sharing(now);
        var room = Room();
        var to = FairShare.YieldTo(sweep, d => NeedsSlotOf(key, d, free, room), holding, _demand.Current(now), _yielding.Values, now - options.Value.PreemptAfter, Priorities);
        if (to is not null)
        {
            _yielding[key] = (sweep, to);
            LogYield(logger, key, to);
        }
        return Task.FromResult(to);
    }

    /// <summary>Wakes the waiting sweeps a freed slot goes to: otherwise they would learn of it only on their next watchdog
    /// tick, since only the releasing pack's own sweep runs its admission when the pack ends. Sweeps in
    /// <paramref name="except"/> (that one, one already woken) are left alone.</summary>
    private void WakeWaiting(IReadOnlyCollection<string?> except)
    {
        var now = DateTimeOffset.UtcNow;
        var (_, free, holding) = Sharing(now);
        foreach (var sweep in FairShare.Allocate(free, holding, _demand.Current(now), Priorities, Room()).Keys
                     .Where(s => !except.Contains(s) && _demand.ShouldWake(s, now)))
            Wake(sweep);
    }

    /// <summary>Not awaited: the woken coordinator asks the ledger back (a call from here would wait on this grain's turn).</summary>
    private void Wake(string sweep) => GrainFactory.GetGrain<ISweepCoordinatorGrain>(sweep).WakeAsync().Ignore();

    /// <summary>The slots to share out now: free ones and those held by sweep, where slots promised to a sweep whose packs
    /// have not reserved them yet count as held by it, not free (<see cref="SlotPromises"/>).</summary>
    private (SlotCapacity Capacity, int Free, Dictionary<string, int> Holding) Sharing(DateTimeOffset now)
    {
        var capacity = Capacity(out var running);
        var (free, holding) = _promises.Apply(capacity.Free, running, now);
        return (capacity, free, holding);
    }

    /// <summary>Slots over the live silos, and the packs holding one by sweep.</summary>
    private SlotCapacity Capacity(out Dictionary<string, int> running)
    {
        var live = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        var total = live.Sum(s => SlotsOf(s).Total);
        var liveNames = live.Select(s => s.ToParsableString()).ToHashSet();
        var held = Reservations.Where(kv => liveNames.Contains(kv.Value.Silo)).Select(kv => kv.Key).ToList();
        running = held.Select(SweepOf).OfType<string>().GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        return new SlotCapacity(total, held.Count);
    }

    /// <summary>The sweep a reservation's training grain trains for (null for a key that names none).</summary>
    private static string? SweepOf(string grainKey) => PackOf(grainKey)?.Sweep;

    /// <summary>The sweep and pack of a reservation's training grain (null for a key that names none).</summary>
    private static (string Sweep, string PackId)? PackOf(string grainKey)
    {
        try { return TrainingCellKeys.Parse(GrainId.Parse(grainKey).Key.ToString()!); }
        catch (Exception e) when (e is ArgumentException or FormatException) { return null; }
    }

    public Task<IReadOnlyList<SlotReservation>> GetReservationsAsync() =>
        Task.FromResult<IReadOnlyList<SlotReservation>>(Reservations.Select(kv => ToReservation(kv.Key, kv.Value)).ToArray());

    /// <summary>The device to train on at <paramref name="silo"/>: the GPU with the most free slots, else the CPU (only
    /// <paramref name="only"/>, when given); null when full. <paramref name="kindFree"/>: the silo's free slots of that
    /// device's kind (GPU or CPU), by which silos are ranked.</summary>
    private string? FreeDevice(SiloAddress silo, out int kindFree, string? only = null)
    {
        var name = silo.ToParsableString();
        var used = Reservations.Values.Where(r => r.Silo == name).GroupBy(r => r.Device).ToDictionary(g => g.Key, g => g.Count());
        var devices = SlotsOf(silo).Devices.Select(d => (d.Device, Free: d.Slots - used.GetValueOrDefault(d.Device))).ToList();
        var best = devices.Where(d => d.Free > 0 && (only is null || d.Device == only))
            .OrderByDescending(d => d.Device != SiloSlots.CpuDevice).ThenByDescending(d => d.Free).FirstOrDefault();
        kindFree = devices.Where(d => best.Device is not null && (d.Device == SiloSlots.CpuDevice) == (best.Device == SiloSlots.CpuDevice))
            .Sum(d => Math.Max(0, d.Free));
        return best.Device;
    }

    /// <summary>Whether <paramref name="silo"/>'s memory for packs has room for <paramref name="bytes"/> beside what the
    /// packs reserved there hold of it (CPU packs their state, GPU packs their rollback copies), and its machine had that
    /// much free when it last refused a pack for it.</summary>
    private bool HostMemoryFits(SiloAddress silo, long bytes)
    {
        var name = silo.ToParsableString();
        var held = Reservations.Values.Where(r => r.Silo == name).Sum(r => r.CpuBytes);
        var machineShort = _machineFree.TryGetValue(name, out var note) && DateTimeOffset.UtcNow - note.At < MachineNoteLife && bytes > note.Free;
        return SlotsOf(silo).CpuMemoryFits(held, bytes) && !machineShort;
    }

    private SiloSlots SlotsOf(SiloAddress silo) => SiloSlots.From(metadata.GetSiloMetadata(silo).Metadata);

    private bool IsActive(SiloAddress silo) => membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Drops reservations of dead silos and stale unclaimed ones; true when something was dropped.</summary>
    private bool Prune()
    {
        var snapshot = membership.CurrentSnapshot;
        var now = DateTimeOffset.UtcNow;
        var unclaimedExpiry = now - options.Value.UnclaimedReservationTimeout;
        var leaseExpiry = now - options.Value.SlotLeaseTimeout;
        var dead = Reservations.Where(kv =>
                snapshot.GetSiloStatus(SiloAddress.FromParsableString(kv.Value.Silo)) is SiloStatus.Dead or SiloStatus.None
                || (!kv.Value.Claimed && Later(kv.Value.ReservedAt, _activatedAt) < unclaimedExpiry)
                || (kv.Value.Claimed && Later(kv.Value.RenewedAt, _activatedAt) < leaseExpiry))
            .Select(kv => kv.Key).ToList();
        foreach (var key in dead) Reservations.Remove(key);
        foreach (var silo in _machineFree.Where(kv => now - kv.Value.At >= MachineNoteLife).Select(kv => kv.Key).ToList())
            _machineFree.Remove(silo);   // soft state, not saved: a restarted silo comes back under another address
        return dead.Count > 0;
    }

    private Task SaveAsync() => Writer.SaveAsync();

    /// <summary>Lost writes are recovered by claims (re-reserve) and leases (expire); failures are retried.</summary>
    private void ScheduleSave() => Writer.ScheduleSave();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try { await Writer.FlushAsync(); } catch (Exception e) { LogWriteFailed(logger, e); }   // best effort, as above
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training grain {Grain} gives its slot to sweep {To} (fair share)")]
    private static partial void LogYield(ILogger logger, string grain, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slot ledger write failed (retried; a lost write is recovered by the next claim or lease expiry)")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    private static SlotReservation ToReservation(string key, LedgerEntry e) =>
        new(GrainId.Parse(key), SiloAddress.FromParsableString(e.Silo), e.Device, e.Claimed, e.ReservedAt);
}
