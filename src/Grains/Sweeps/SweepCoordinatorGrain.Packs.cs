using System.Runtime.ExceptionServices;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Storage;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The pack-facing half of the coordinator: epoch reports, pack outcomes, admission, the watchdog, and the
/// group-committed ledger write.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private readonly Dictionary<string, RunningPack> _running = new();
    private IGrainTimer? _watchdog;
    private bool _suspended, _admitting, _admitAgain;
    private bool _epochsUnsaved;   // LastEpoch raised since the ledger was last saved
    private bool _askedForSlots;   // the slot ledger counts this sweep as waiting
    private (int Ready, SlotShare Share)? _lastAsk;   // the last admission's ready packs and the ledger's answer; null: none waits
    private int _applying;   // pack reports being folded into the ledger (ApplyAsync)
    private string? _admissionProblem;
    private string? _storeProblem;    // the last epoch store failed, until one succeeds
    private string? _ledgerProblem;   // the last ledger write failed, until one succeeds
    private readonly Dictionary<string, StartBackoff> _startBackoff = new();   // pack → why and until when it waits
    private readonly Dictionary<string, MemoryWait> _memoryWaits = new();       // pack → the silo's refusal, and its next try

    /// <summary>A pack whose silo had no memory left for it (<c>NotEnoughMemoryException</c>): not a failed start, but a
    /// wait for packs to end, so it is tried again after a short fixed pause and status tells it as waiting.</summary>
    private sealed record MemoryWait(DateTimeOffset NotBefore, string Reason);

    private static readonly TimeSpan MemoryRetry = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, string> _curveGaps = new();   // cell → why its records are refused, until stored
    private EpochPace _pace = NewPace();

    /// <summary>Status's time left: the pace of the last five minutes, said once two seconds of reports are in.</summary>
    private static EpochPace NewPace() => new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));

    public async Task<ReportReply> ReportEpochsAsync(string packId, string? incarnation, IReadOnlyList<EpochRecord> records)
    {
        EnsureWritable();
        if (Ours(packId, incarnation) is not { } pack)
        {
            if (await GoneForAsync(incarnation)) return new ReportReply(Stop: true);
            // Not stored, and not a success: a pack takes a reply for stored records and checkpoints past them.
            throw new InvalidOperationException($"sweep '{Name}' has no ledger (lost, not deleted): pack {packId} keeps its epoch records " +
                                                "(beside its checkpoint) until a submit of the sweep's spec rebuilds it");
        }
        Heard(packId, null);
        var members = pack.Cells.Select(c => c.CellId).ToHashSet();
        // A pack reporting trains, whatever its cells say: a start that timed out here (and was queued again) can have
        // started after all. Left queued, the sweep would ask the ledger for a slot this pack already holds.
        var training = Ledger.State == SweepState.Running && !_suspended
            ? pack.Cells.Where(c => Ledger.Cells[c.CellId].State == CellState.Queued).ToList() : [];
        foreach (var cell in training) Ledger.Cells[cell.CellId].State = CellState.Running;
        // Each cell on its own: what one cell's curve refuses must not keep the others' stored records from being counted.
        var appends = await Task.WhenAll(records.Where(r => members.Contains(r.CellId)).GroupBy(r => r.CellId)
            .Select(async g =>
            {
                try { return (Stored: await AppendAsync(g.Key, g), Failure: (Exception?)null); }
                catch (Exception e) { return ([], e); }
            }));
        var stored = appends.Select(a => a.Stored).ToList();
        // In memory only (the next ledger write takes it along): status shows the stored epoch even while the curve
        // store cannot be read (its cache is dropped on a failure), and a reload starts from the right chunk.
        foreach (var last in stored.Where(s => s.Count > 0).Select(s => s[^1]))
        {
            Ledger.Cells[last.CellId].LastEpoch = Math.Max(Ledger.Cells[last.CellId].LastEpoch, last.Epoch);
            _epochsUnsaved = true;
        }
        _pace.Add(DateTimeOffset.UtcNow, stored.Sum(s => s.Count));
        var failure = appends.Select(a => a.Failure).FirstOrDefault(f => f is not null);
        if (failure is null) CaughtUp(packId, records.Count == 0 ? 0 : records.Max(r => r.Epoch));
        var diverged = stored.SelectMany(s => s).Where(r => r.Diverged && !Ledger.Cells[r.CellId].State.IsFinal()).ToList();
        foreach (var record in diverged) await EndCellAsync(record.CellId, CellState.Diverged, null);
        if (diverged.Count > 0 || training.Count > 0) await CellsChangedAsync();
        // The pack keeps every record and sends them again; those stored now are then ignored.
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return new ReportReply(Stop: Ledger.State != SweepState.Running || _suspended);
    }

    /// <summary>Stores a cell's records. A refusal for a gap is kept for status until the cell's records are stored: the
    /// pack retries for ever (right while storage reads short, useless if a curve file was moved away).</summary>
    private async Task<IReadOnlyList<EpochRecord>> AppendAsync(string cellId, IEnumerable<EpochRecord> records)
    {
        try
        {
            var stored = await _curves!.AppendAsync(cellId, records, Ledger.Cells[cellId].LastEpoch);
            _curveGaps.Remove(cellId);
            _storeProblem = null;
            return stored;
        }
        catch (CurveGapException e)
        {
            _curveGaps[cellId] = e.Message;
            throw;
        }
        catch (Exception e)
        {
            // Said in status: otherwise a full disk or a store that is down shows only as progress standing still.
            _storeProblem = $"epoch records cannot be stored ({Failures.Describe(e)}); the packs keep them and retry, and the curves go on once a write succeeds";
            throw;
        }
    }

    /// <summary>Status's problem line for refused records, if any.</summary>
    private string? CurveProblem => _curveGaps.Count == 0 ? null
        : $"epoch records are refused ({_curveGaps.Values.First()}{(_curveGaps.Count > 1 ? $"; {_curveGaps.Count - 1} more cell(s)" : "")}); " +
          "they are retried, and stored once the curve reads whole again: if a curve file was moved away, put it back; if it is " +
          "lost (a power cut), cancel the sweep, move the pack's checkpoint away and resume it: the pack trains again from epoch 0 " +
          "and its curve goes on from the epochs stored";

    public async Task<bool> PackEndedAsync(string packId, string? incarnation, PackProgress progress)
    {
        if (Ours(packId, incarnation) is not { } pack) return await GoneForAsync(incarnation);
        _lostCheckpoints.Remove(packId);
        await ApplyAsync(pack, progress);
        return false;
    }

    /// <summary>Whether a pack of <paramref name="incarnation"/> trained for a sweep that is gone. Without a ledger that
    /// needs the registry: its entry outlives a ledger that was lost (and is rebuilt as the same incarnation), not a delete.</summary>
    private async Task<bool> GoneForAsync(string? incarnation)
    {
        if (Ledger.Deleting) return true;
        if (Ledger.Spec is not null) return Ledger.Incarnation != incarnation;
        var listed = (await Registry.ListAsync()).FirstOrDefault(s => s.Name == Name);
        return listed is null || listed.Incarnation != incarnation;
    }

    /// <summary>The pack a training grain speaks for, if it trains for this sweep: not for one being deleted, nor (by its
    /// incarnation) for a deleted sweep of the same name whose pack was still stopping when the delete came. Such a pack
    /// has the same id, and its records would otherwise land in this sweep's curves.</summary>
    private GridPack? Ours(string packId, string? incarnation) =>
        _grid is not null && !Ledger.Deleting && incarnation == Ledger.Incarnation && _grid.PacksById.TryGetValue(packId, out var pack)
            ? pack : null;

    /// <summary>Folds what a training grain said about its pack into the ledger. Counted in <see cref="_applying"/> while
    /// it runs: it awaits curve reads after taking the pack out of <c>_running</c>, and a delete must not begin in between
    /// (the ledger write that follows would land after the delete had cleared the ledger).</summary>
    private async Task ApplyAsync(GridPack pack, PackProgress progress)
    {
        _applying++;
        try
        {
            await FoldAsync(pack, progress);
        }
        finally
        {
            _applying--;
        }
    }

    private async Task FoldAsync(GridPack pack, PackProgress progress)
    {
        var changed = false;
        var open = pack.Cells.Select(c => c.CellId).Where(id => !Ledger.Cells[id].State.IsFinal()).ToList();
        switch (progress.State)
        {
            case PackRunState.Running:
                Heard(pack.PackId, progress);
                foreach (var id in open.Where(id => Ledger.Cells[id].State == CellState.Queued))
                {
                    Ledger.Cells[id].State = CellState.Running;
                    changed = true;
                }
                break;
            case PackRunState.Finished or PackRunState.Failed:
                _running.Remove(pack.PackId);
                foreach (var id in open)
                {
                    var outcome = progress.Outcomes?.FirstOrDefault(o => o.CellId == id)
                        ?? new CellOutcome(id, CellState.Failed, 0, "the training grain reported no outcome for this cell");
                    await EndCellAsync(id, outcome.State, outcome.Error);
                    changed = true;
                }
                break;
            default:   // Stopped or Idle: unfinished cells wait for admission again (and resume from their checkpoint)
                _running.Remove(pack.PackId);
                if (progress.YieldedTo is { } to)
                {
                    Ledger.Yields = new SlotYields((Ledger.Yields?.Count ?? 0) + 1, pack.PackId, progress.EpochsCompleted, to, DateTimeOffset.UtcNow);
                    changed = true;
                }
                foreach (var id in open.Where(id => Ledger.Cells[id].State == CellState.Running))
                {
                    Ledger.Cells[id].State = CellState.Queued;
                    changed = true;
                }
                break;
        }
        if (progress.State != PackRunState.Running)
        {
            // A cancel made these cells final while they trained: summarise them now that their last epochs are
            // stored, so status shows where they stopped instead of no accuracy at all. Whatever the pack's end: it
            // may have trained its last epoch (Finished) before it heard the cancel.
            foreach (var id in pack.Cells.Select(c => c.CellId).Where(id => Ledger.Cells[id].State == CellState.Cancelled))
            {
                CellSummaries.Summarise(Ledger.Cells[id], await _curves!.ReadAllAsync(id));
                changed = true;
            }
        }
        if (changed) await CellsChangedAsync();
    }

    /// <summary>Gives a cell its final state and its summary from the stored curve.</summary>
    private async Task EndCellAsync(string cellId, CellState state, string? error)
    {
        var entry = Ledger.Cells[cellId];
        if (entry.State.IsFinal()) return;
        var curve = await _curves!.ReadAllAsync(cellId);
        if (entry.State.IsFinal()) return;   // decided while we read
        if (state == CellState.Completed && (curve.Count == 0 || curve[^1].Epoch < Ledger.Spec!.Epochs))
            (state, error) = (CellState.Failed, $"the pack finished but only {curve.Count} of {Ledger.Spec!.Epochs} epochs are stored");
        entry.State = state;
        entry.Error = error;
        CellSummaries.Summarise(entry, curve);
        _curves.Forget(cellId);
        if (error is null) LogCellEnded(Name, cellId, state, entry.LastEpoch);
        else LogCellEndedWithError(Name, cellId, state, entry.LastEpoch, error);
    }

    private async Task CellsChangedAsync()
    {
        if (Ledger.State == SweepState.Running && Ledger.Cells.Values.All(e => e.State.IsFinal()))
        {
            Ledger.State = SweepState.Completed;
            Ledger.FinishedAt = DateTimeOffset.UtcNow;
            await SaveAsync();
            PublishCounts();
            LogCompleted(Name);
            await SyncStoppedAsync();
            return;
        }
        ScheduleSave();
        PublishCounts();
        _ = AdmitAsync();
    }

    /// <summary>Starts queued packs, in grid order, as far as the slot ledger gives this sweep slots (its share beside the
    /// other sweeps waiting). One admission runs at a time; calls during it make it go round once more.</summary>
    private async Task AdmitAsync()
    {
        if (_admitting)
        {
            _admitAgain = true;
            return;
        }
        _admitting = true;
        try
        {
            do
            {
                _admitAgain = false;
                if (!Admitting() || !Queued().Any())
                {
                    _lastAsk = null;
                    await WithdrawDemandAsync();
                    return;
                }
                var now = DateTimeOffset.UtcNow;
                var ready = Ready(now).ToList();
                var share = await GrainFactory.GetGrain<IGpuLedgerGrain>(0).GetShareAsync(Name, ready.Count, Priority);
                _askedForSlots = ready.Count > 0;
                _lastAsk = (ready.Count, share);
                _admissionProblem = ready.Count > 0 && share.Total == 0
                    ? "no silo of the cluster offers a training slot: the queued packs wait for one (start a silo with --gpus or --cpu-training)"
                    : null;
                // A cancel, suspend or report may have come in while we asked: decide on the ledger as it is now. A cancel
                // during a first ask found nothing to withdraw, and the ledger now counts (and holds slots for) this sweep.
                if (!Admitting())
                {
                    _lastAsk = null;
                    await WithdrawDemandAsync();
                    return;
                }
                var admitted = Ready(now).Take(share.Granted).ToList();
                if (admitted.Count == 0) return;
                foreach (var pack in admitted)
                {
                    _running[pack.PackId] = new RunningPack(DateTimeOffset.UtcNow, null, null);
                    foreach (var cell in pack.Cells.Where(c => Ledger.Cells[c.CellId].State == CellState.Queued))
                        Ledger.Cells[cell.CellId].State = CellState.Running;
                }
                ScheduleSave();
                PublishCounts();
                // The ledger holds the granted slots for these packs until they reserve them, and counts only the rest as
                // waiting: no second ask is needed to say what still waits.
                await Task.WhenAll(admitted.Select(StartPackAsync));
            } while (_admitAgain);
        }
        catch (Exception e)
        {
            _admissionProblem = "cells cannot be started: " + Failures.Describe(e);
            LogAdmissionFailed(Name, $"{Failures.Cause(e).GetType().Name}: {Failures.Describe(e)}");   // the watchdog retries
        }
        finally
        {
            _admitting = false;
        }
    }

    private bool Admitting() => Ledger.State == SweepState.Running && !_suspended && _grid is not null;

    /// <summary>Tells the slot ledger this sweep waits for no slot any more (nothing queued, cancelled, suspended), so the
    /// share it was counted for goes to the sweeps that wait. Best effort: the ledger forgets a sweep that stops asking.</summary>
    private async Task WithdrawDemandAsync()
    {
        if (!_askedForSlots) return;
        _askedForSlots = false;
        try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).GetShareAsync(Name, 0, Priority); }
        catch (Exception e) { LogAdmissionFailed(Name, "withdrawing from the slot ledger: " + Failures.Describe(e)); }
    }

    /// <summary>Ready packs the last admission found no slot for (the packs-waiting gauge).</summary>
    private int PacksWaiting => _lastAsk is (int ready, SlotShare share) ? Math.Max(0, ready - share.Granted) : 0;

    /// <summary>Status's note while other sweeps hold the slots this sweep's ready packs wait for. Said only while other
    /// sweeps share the slots: a sweep with more packs than slots always has some queued.</summary>
    private string? WaitingForSlots => PacksWaiting > 0 && _lastAsk is (_, SlotShare share) && share.Total > 0 && share.Sweeps > 1
        ? $"{PacksWaiting} pack(s) wait for a slot: the cluster's {share.Total} are in use, shared with {share.Sweeps - 1} other sweep(s)"
        : null;

    /// <summary>Status's note while a queued pack waits for memory on its silo (the first such pack).</summary>
    private string? WaitingForMemory => _memoryWaits
        .Where(kv => _grid?.PacksById.GetValueOrDefault(kv.Key) is { } p && p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued))
        .Select(kv => $"pack {kv.Key} {kv.Value.Reason}").FirstOrDefault();

    /// <summary>Queued packs not pausing after a failed start.</summary>
    private IEnumerable<GridPack> Ready(DateTimeOffset now) =>
        Queued().Where(p => !(_startBackoff.GetValueOrDefault(p.PackId)?.NotBefore > now) && !(_memoryWaits.GetValueOrDefault(p.PackId)?.NotBefore > now));

    /// <summary>Packs waiting for a slot: a queued cell and none running. (Not keyed on <c>_running</c>: an entry the
    /// pack's lost end report left behind would block it for good.)</summary>
    private IEnumerable<GridPack> Queued() => _grid!.Packs.Where(p =>
        p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued)
        && p.Cells.All(c => Ledger.Cells[c.CellId].State != CellState.Running));

    /// <summary>Starts or re-pokes a pack (idempotent on the training grain). A failure (no slot after all, a dead silo)
    /// puts its cells back in the queue, to be tried again after a pause that grows with each failure; nothing is
    /// lost.</summary>
    private async Task StartPackAsync(GridPack pack)
    {
        var grain = GrainFactory.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For(Name, pack.PackId));
        PackProgress? reply = null;
        try
        {
            var work = pack.ToWork(Ledger.Spec!, Ledger.Incarnation);
            using (PlacementHints.CpuBytes(CpuBytesHint(work)))
                reply = await grain.StartAsync(work);
            _startBackoff.Remove(pack.PackId);
            _memoryWaits.Remove(pack.PackId);
            await ApplyAsync(pack, reply);
        }
        // Only the start's own failures: folding its reply reads curves, and a damaged chunk there is not the pack's state.
        catch (Exception e) when (reply is null && Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            // The training grain cannot activate over a damaged stored state, and no retry changes that: re-queued, the pack
            // would take the slot placement reserved for it (until that reservation lapses) again and again, and nothing
            // behind it would ever train. Fail its cells with the way out, and give the slot back now.
            LogStartFailed(Name, pack.PackId, corrupt.Message);
            try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).ReleaseAsync(grain.GetGrainId()); }
            catch (Exception release) { LogStartFailed(Name, pack.PackId, "release: " + release.Message); }
            var error = $"{corrupt.Message}; {corrupt.WayOut} and resume the sweep (the pack continues from its checkpoint)";
            await FoldFailedStartAsync(pack, new PackProgress(PackRunState.Failed, 0, null, null,
                pack.Cells.Select(c => new CellOutcome(c.CellId, CellState.Failed, 0, error)).ToList()));
        }
        catch (Exception e) when (reply is not null)
        {
            // Left as it was: its cells still run in the ledger, so the watchdog pokes the pack again and folds its reply then.
            LogStartFailed(Name, pack.PackId, "folding its reply: " + Failures.Describe(e));
        }
        catch (Exception e)
        {
            if (Failures.Cause(e) is NotEnoughMemoryException memory)
            {
                LogWaitingForMemory(Name, pack.PackId, memory.Message);
                _memoryWaits[pack.PackId] = new MemoryWait(DateTimeOffset.UtcNow + MemoryRetry, memory.Message);
            }
            else
            {
                var reason = $"{Failures.Cause(e).GetType().Name}: {Failures.Describe(e)}";
                LogStartFailed(Name, pack.PackId, reason);
                _startBackoff[pack.PackId] = StartBackoff.After(_startBackoff.GetValueOrDefault(pack.PackId), reason, DateTimeOffset.UtcNow);
            }
            // A start that failed before its claim (the grain could not activate) holds a reservation that would keep its
            // slot from the packs behind it until it lapses; a pack that claimed its slot may be training and keeps it.
            try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).ReleaseUnclaimedAsync(grain.GetGrainId()); }
            catch (Exception release) { LogStartFailed(Name, pack.PackId, "release: " + release.Message); }
            await FoldFailedStartAsync(pack, new PackProgress(PackRunState.Idle, 0, null, null, null));
        }
    }

    /// <summary>What the pack holds on a CPU slot, for placement; 0 (not known) where it cannot be told: a hint that fails
    /// must not fail the start (the training grain counts the pack itself, and says why if it cannot).</summary>
    private long CpuBytesHint(PackWork work)
    {
        try { return PackMemory.TrainingBytes(work); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            LogUnsizedPlacement(Name, work.PackId, Failures.Describe(e));
            return 0;
        }
    }

    /// <summary>Folds in what a failed start means; a fold that fails too (curves unreadable) is logged, not thrown, so the
    /// watchdog's other pokes and its admission still run.</summary>
    private async Task FoldFailedStartAsync(GridPack pack, PackProgress progress)
    {
        try { await ApplyAsync(pack, progress); }
        catch (Exception e) { LogStartFailed(Name, pack.PackId, "folding the failed start: " + Failures.Describe(e)); }
    }

    /// <summary>Asks a pack to stop at its epoch boundary. A pack the stop misses still stops: its next epoch report is
    /// answered with a stop while the sweep is stopped or suspended.</summary>
    private async Task StopPackAsync(string packId)
    {
        try
        {
            await GrainFactory.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For(Name, packId)).StopAsync();
        }
        catch (NoTrainingSlotException)
        {
            // The stop had to place a new activation (its silo is gone, or it never started) and found no slot: it runs nowhere.
            LogStopNowhere(Name, packId);
        }
        catch (Exception e)
        {
            LogStopFailed(Name, packId, Failures.Describe(e));
        }
    }

    /// <summary>Re-pokes running packs not heard from within the watchdog interval (their silo may be dead: the call
    /// re-places them and they resume from their checkpoints), then retries admission.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Ledger.State != SweepState.Running && Ledger.Spec is not null && !Ledger.Deleting)
        {
            await SyncStoppedAsync();   // still ticking: the registry did not hear that the sweep stopped
            return;
        }
        if (Ledger.State != SweepState.Running || _grid is null || _suspended) return;
        PublishProgressGauges();
        // The ledger is otherwise written on state changes only: a coordinator activated again (another silo, after a
        // conflict) would show its running cells where they started until its curves are read.
        if (_epochsUnsaved)
        {
            _epochsUnsaved = false;
            ScheduleSave();
        }
        var stale = DateTimeOffset.UtcNow - _options.WatchdogInterval;
        var poke = RunningPackIds().Where(id => !_running.TryGetValue(id, out var r) || r.LastHeard < stale)
            .Select(id => _grid.PacksById[id]).ToList();
        await Task.WhenAll(poke.Select(StartPackAsync));
        await AdmitAsync();
        await SyncRegistryAsync();   // heals a registry entry that a failed or overtaken update left wrong
    }

    /// <summary>For status: the queued pack that failed to start most often, once it has failed more than a moment's worth.</summary>
    private string? StartProblem() =>
        _startBackoff.Where(kv => kv.Value.Failures >= StartBackoff.Shown && _grid?.PacksById.GetValueOrDefault(kv.Key) is { } p
                                  && p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued))
            .OrderByDescending(kv => kv.Value.Failures).Select(kv => kv.Value.Describe(kv.Key)).FirstOrDefault();

    /// <summary>Packs with a running cell in the ledger.</summary>
    private IEnumerable<string> RunningPackIds() =>
        _grid is null ? [] : _grid.Packs.Where(p => p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Running)).Select(p => p.PackId);

    private void Heard(string packId, PackProgress? progress)
    {
        _running.TryGetValue(packId, out var previous);
        _running[packId] = new RunningPack(DateTimeOffset.UtcNow, progress?.Silo ?? previous?.Silo, progress?.Device ?? previous?.Device);
    }

    private void StartWatchdog() =>
        _watchdog ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromMilliseconds(200),
            Period = _options.WatchdogInterval,
            Interleave = true,
            KeepAlive = true,
        });

    private void StopWatchdog()
    {
        _watchdog?.Dispose();
        _watchdog = null;
    }

    private Task SaveAsync() => _writer.SaveAsync();

    /// <summary>Saves; a failure is returned, not thrown, for a caller that must finish acting on the change first (the
    /// writer retries it meanwhile).</summary>
    private async Task<Exception?> SaveOrRetryAsync()
    {
        try
        {
            await SaveAsync();
            return null;
        }
        catch (Exception e) when (Failures.Cause(e) is not InconsistentStateException)
        {
            return e;
        }
    }

    /// <summary>Tells the registry that the sweep stopped running (completed or cancelled), then stops the watchdog. The
    /// watchdog's tick is what retries a failed sync: the registry would otherwise list the sweep as running for good.
    /// The ledger is written first: a registry saying "cancelled" over a stored ledger still running (its write failed,
    /// then the silo died) would leave the sweep unwoken, to resume unasked at its next status call.</summary>
    private async Task SyncStoppedAsync()
    {
        StartWatchdog();
        await FlushAsync();
        await SyncRegistryAsync();
        if (Ledger.State != SweepState.Running) StopWatchdog();
    }

    private void ScheduleSave() => _writer.ScheduleSave();

    private Task FlushAsync() => _writer.FlushAsync();
}
