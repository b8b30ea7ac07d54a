using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Training.Loop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradGuessCluster.Grains.Cells;

/// <summary>
/// Trains one pack (<see cref="ITrainingCellGrain"/>). Placed by <see cref="GpuPlacementDirector"/> on a silo with a
/// free slot; claims that slot and its device when it starts training and releases it when it stops. The epoch loop
/// (TrainingCellGrain.Loop.cs) runs on the activation's scheduler with each epoch in <c>Task.Run</c>.
/// </summary>
[GpuPlacement, GrainType(GrainTypeName)]
public sealed partial class TrainingCellGrain(
    [PersistentState(TrainingCellGrain.StateName, GradGuessSiloOptions.StorageName)] IPersistentState<TrainingCellState> state,
    IPackTrainerFactory factory, IOptions<GradGuessSiloOptions> options, ILocalSiloDetails silo, LocalSlotUse slotUse,
    CpuPackMemory cpuMemory, ILogger<TrainingCellGrain> logger)
    : Grain, ITrainingCellGrain
{
    public const string GrainTypeName = "gg-training";
    public const string StateName = "pack";

    private Task? _loop;
    private CancellationTokenSource? _stop;
    private CancellationTokenSource _abort = new();
    private IGrainTimer? _lease;
    private string? _device;
    private bool _holdsSlot;   // counted in this silo's slot gauges until released
    private int _epochs;
    private string? _run;   // names the run this activation started last (PackProgress.Run)
    private PackHostBytes _hostBytes;   // what the pack holds of host memory on a CPU or GPU slot (PackMemory), told to the ledger with each claim

    private TrainingCellState State => state.State;

    public async Task<PackProgress> StartAsync(PackWork work)
    {
        PlacementHints.Clear();   // placement's, not for the calls this start makes
        var (sweep, packId) = TrainingCellKeys.Parse(this.GetPrimaryKeyString());
        if (work.Sweep != sweep || work.PackId != packId || work.Cells.Count == 0)
            throw new ArgumentException($"work for {work.Sweep}/{work.PackId} sent to training grain {sweep}/{packId}", nameof(work));
        if (work.Incarnation is { } incarnation && !SweepNames.IsValidId(incarnation))
            throw new ArgumentException($"invalid incarnation '{incarnation}' for {sweep}/{packId}", nameof(work));
        if (State.Work is { } stored && stored.Incarnation != work.Incarnation) await ForgetEarlierSweepAsync(work);
        if (State.Work is { } had && work.Spec.Epochs > had.Spec.Epochs)
        {
            // Answered "finished" at the old end now, it would read as a silo that cannot train on; the coordinator retries.
            if (Ending) throw new InvalidOperationException($"{sweep}/{packId} is still ending its last run");
            if (_loop is not { IsCompleted: false })
            {
                // An extension raised the sweep's epochs: the pack (finished, or stopped short of the old end) trains on from
                // its checkpoint to the new end. Only the length changes: the pack's cells and settings stay the stored ones.
                LogLengthened(sweep, packId, had.Spec.Epochs, work.Spec.Epochs);
                State.Work = had with { Spec = had.Spec with { Epochs = work.Spec.Epochs } };
                if (State.RunState == PackRunState.Finished) (State.RunState, State.Outcomes) = (PackRunState.Stopped, null);
            }
        }
        if (State.RunState == PackRunState.Finished)
        {
            if (_loop is null) this.DeactivateOnIdle();   // only answering a re-poke: don't hold the slot placement gave us
            return Progress();
        }
        if (_loop is { IsCompleted: false })
        {
            // A run still reporting how it stopped or failed: answered "running", a re-poke could reach the coordinator
            // after that end and mark the pack running again; answered with that end, a resume's start would end the cells
            // again. The coordinator retries after a pause. (A finished run answers so above.)
            if (Ending) throw new InvalidOperationException($"{sweep}/{packId} is still ending its last run");
            return Progress();
        }

        // Counted before the claim, so that a failure here leaves no slot claimed that nothing trains on.
        var held = State.Work ?? work;
        _hostBytes = PackMemory.HostBytes(held);
        SlotReservation? slot;
        try
        {
            slot = await SlotLedger.ClaimAsync(this.GetGrainId(), silo.SiloAddress, device: null, _hostBytes.Cpu, _hostBytes.Gpu);
        }
        catch (Exception)
        {
            // The claim may have gone through (its reply lost, or its write failed after the ledger noted it): a claimed
            // slot is not given back for a failed start, so give it back here, as nothing will train on it.
            await ReleaseSlotAsync();
            this.DeactivateOnIdle();
            throw;
        }
        if (slot is null)
        {
            MoveToWherePlacementPutsItNow();
            throw new NoTrainingSlotException($"no free training slot on {silo.Name}");
        }
        // A CPU pack's state is all in this machine's memory; a GPU pack's rollback copy is too, and a silo with many GPU
        // slots would otherwise pile those up past the machine's memory unseen (the kernel kills the whole silo for it).
        var (hostBytes, what) = (_hostBytes.On(slot.Device), slot.Device == SiloSlots.CpuDevice ? PackMemory.Describe(held) : PackMemory.DescribeGpuHost);
        if (hostBytes > 0 && cpuMemory.TryHold(this.GetGrainId(), hostBytes, what) is { } refusal)
        {
            if (refusal.MachineFreeBytes is not { } free) await ReleaseSlotAsync();
            else
            {
                try { await SlotLedger.ReleaseForMachineMemoryAsync(this.GetGrainId(), silo.SiloAddress, free); }
                catch (Exception e)
                {
                    // A ledger of an earlier build has no ReleaseForMachineMemory: the slot must still go back now.
                    LogReleaseFailed(this.GetPrimaryKeyString(), e.Message);
                    await ReleaseSlotAsync();
                }
            }
            MoveToWherePlacementPutsItNow();
            throw new NotEnoughMemoryException($"not started on {silo.Name}: {refusal.Reason}");
        }
        _device = slot.Device;
        slotUse.Take(_device);
        _holdsSlot = true;
        // Not written here: every (re)start brings the work along, and the checkpoint file holds the progress.
        State.Work ??= work;
        State.RunState = PackRunState.Running;
        State.Outcomes = null;
        _stop = new CancellationTokenSource();
        this.DelayDeactivation(Timeout.InfiniteTimeSpan);
        _lease?.Dispose();   // a run that ended without its release: one renewal timer, not two
        _lease = this.RegisterGrainTimer(RenewLeaseAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.SlotLeaseRenewal, Period = options.Value.SlotLeaseRenewal, Interleave = true,
        });
        _run = Guid.NewGuid().ToString("N");
        LogStarting(sweep, packId, State.Work.Cells.Count, _device, silo.Name);
        _loop = RunAsync(State.Work, _device, _stop.Token);
        return Progress();
    }

    /// <summary>This grain last trained for a deleted sweep of the same name (a pack still stopping when the delete came
    /// wrote its state afterwards): its outcome and checkpoint are not this sweep's. While that run is still stopping here,
    /// the start fails and the coordinator queues the pack again.</summary>
    private async Task ForgetEarlierSweepAsync(PackWork work)
    {
        if (_loop is { IsCompleted: false })
        {
            _stop?.Cancel();
            throw new InvalidOperationException($"{work.Sweep}/{work.PackId} is still stopping its run for an earlier, deleted sweep of that name");
        }
        _pending.Clear();   // records that run could not get stored belong to the deleted sweep
        await state.ReadStateAsync();   // the delete cleared the storage behind this activation's back: take its ETag
        if (State.Work is { } written && written.Incarnation != work.Incarnation)
        {
            LogForgotEarlierSweep(work.Sweep, work.PackId, written.Incarnation ?? "none");
            await state.ClearStateAsync();
            state.State = new TrainingCellState();
        }
    }

    public Task<PackProgress> StopAsync()
    {
        _stop?.Cancel();
        // No run here: this call may have activated the grain (its silo died, its start never came), and placement then
        // reserved a slot for it that nothing would claim, keeping it from other packs until it lapsed.
        if (_loop is null) this.DeactivateOnIdle();
        return Task.FromResult(Progress());
    }

    public Task<PackProgress> GetProgressAsync() => Task.FromResult(Progress());

    /// <summary>For a start refused here (no free slot, no memory): a silo that receives the next start for this grain
    /// activates it again itself, without asking placement, wherever the caller's directory cache still points here, so a
    /// deactivated pack would come back to this silo at every try while another has room. Migrating asks placement now,
    /// with the pack's size and the ledger as it is: the grain moves where there is room, or, where none has, is
    /// deactivated as before.</summary>
    private void MoveToWherePlacementPutsItNow()
    {
        using (PlacementHints.HostBytes(_hostBytes, moving: true)) this.MigrateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loop is { IsCompleted: false } loop)
        {
            LogDeactivating(this.GetPrimaryKeyString(), reason.ToString());
            _stop?.Cancel();
            await using (cancellationToken.Register(() => _abort.Cancel()))
            {
                try { await loop; } catch (Exception e) { LogLoopFault(e, this.GetPrimaryKeyString()); }
            }
            // The pack goes on elsewhere: this silo stops reporting its cells now, so no series is exported twice. (A pack
            // that ended here keeps its final values a few minutes; see SweepInstruments.CellStopped.)
            foreach (var cell in _labels) SweepInstruments.ForgetCell(cell);
        }
        await ReleaseSlotAsync();
    }

    private IGpuLedgerGrain SlotLedger => GrainFactory.GetGrain<IGpuLedgerGrain>(0);

    /// <summary>The loop has ended its run and is reporting that end: a run's state reads Running from its start until
    /// its end is set.</summary>
    private bool Ending => _loop is { IsCompleted: false } && State.RunState != PackRunState.Running;

    private PackProgress Progress() =>
        new(_loop is { IsCompleted: false } && !Ending ? PackRunState.Running
            : State.RunState == PackRunState.Running ? PackRunState.Stopped   // persisted as running, but no loop here
            : State.RunState,
            _epochs, silo.Name, _device, State.Outcomes, Run: _run);

    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        if (!_holdsSlot) return;   // a tick queued before the release disposed the timer: a claim now would take the slot again
        try
        {
            if (await SlotLedger.ClaimAsync(this.GetGrainId(), silo.SiloAddress, _device, _hostBytes.Cpu, _hostBytes.Gpu) is null)
            {
                // The ledger gave the slot away (our lease lapsed while it was unreachable) and the device is full: training
                // on would put more cells on it than it has slots. Stop at the epoch boundary with a checkpoint; the
                // coordinator queues the pack again.
                LogLostSlot(this.GetPrimaryKeyString(), _device ?? "?");
                _stop?.Cancel();
            }
        }
        catch (Exception e)
        {
            LogReleaseFailed(this.GetPrimaryKeyString(), "lease renewal: " + e.Message);
        }
    }

    /// <summary>Gives back what this activation holds: its lease, its slot and memory in the silo's counts, and its slot in
    /// the ledger (best effort). Also after a refused or failed start, where only the ledger's slot may be held.</summary>
    private async Task ReleaseSlotAsync()
    {
        _lease?.Dispose();
        _lease = null;
        if (_holdsSlot && _device is not null) slotUse.Return(_device);
        cpuMemory.Release(this.GetGrainId());
        _holdsSlot = false;
        try
        {
            try { await SlotLedger.ReleaseFromAsync(this.GetGrainId(), silo.SiloAddress); }
            catch (Exception e) when (!_abort.IsCancellationRequested && !Failures.IsTransport(e))
            {
                // A ledger of an earlier build has no ReleaseFrom (silos upgraded one by one): by grain id, as it did. Not
                // when the ledger could not be reached (it moves): a release by id could free the slot the pack's run
                // on another silo holds; the lease's expiry frees this one.
                await SlotLedger.ReleaseAsync(this.GetGrainId());
            }
        }
        catch (Exception e)
        {
            // Best effort: during silo shutdown the ledger may be gone; it drops the slots of dead silos itself.
            LogReleaseFailed(this.GetPrimaryKeyString(), e.Message);
        }
    }
}
