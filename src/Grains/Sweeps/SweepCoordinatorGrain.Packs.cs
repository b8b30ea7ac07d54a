using System.Runtime.ExceptionServices;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The pack-facing half of the coordinator, as packs report: epoch records stored into the curves, and a
/// pack's progress and outcome folded into the ledger. Admission (which packs start, where they wait) is in
/// SweepCoordinatorGrain.Admission.cs, the watchdog and the ledger writes in SweepCoordinatorGrain.Watchdog.cs.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private readonly Dictionary<string, RunningPack> _running = new();
    private readonly PackRuns _runs = new();
    private bool _epochsUnsaved;   // LastEpoch raised since the last ledger write began
    private int _applying;   // pack reports being folded into the ledger (ApplyAsync)
    private string? _storeProblem;    // the last epoch store failed, until one succeeds
    private readonly Dictionary<string, string> _curveGaps = new();   // cell → why its records are refused, until stored
    private EpochPace _pace = NewPace();
    private readonly PackCost _cost = new();
    private readonly PackPace _packPace = new();

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
        // A diverged cell's curve ends at its divergence: a pack resumed from a checkpoint before it may train the cell on
        // (a GPU's re-run need not diverge where the first run did), and those epochs are dropped as stored.
        var open = records.Where(r => members.Contains(r.CellId) && Ledger.Cells[r.CellId].State != CellState.Diverged);
        // Each cell on its own: what one cell's curve refuses must not keep the others' stored records from being counted.
        var cells = open.GroupBy(r => r.CellId).ToList();
        var appends = await Task.WhenAll(cells
            .Select(async g =>
            {
                try { return (Stored: await AppendAsync(g.Key, g), Failure: (Exception?)null); }
                catch (Exception e) { return ([], e); }
            }));
        var stored = appends.Select(a => a.Stored).ToList();
        // In memory only (the next ledger write takes it along): status shows the stored epoch even while the curve
        // store cannot be read (its cache is dropped on a failure), and a reload starts from the right chunk.
        var lasts = stored.Where(s => s.Count > 0).Select(s => s[^1]).ToList();   // each cell's newest record stored now
        foreach (var last in lasts)
        {
            Ledger.Cells[last.CellId].LastEpoch = Math.Max(Ledger.Cells[last.CellId].LastEpoch, last.Epoch);
            _epochsUnsaved = true;
        }
        var epochs = stored.Sum(s => s.Count);
        var now = DateTimeOffset.UtcNow;
        _pace.Add(now, epochs, packId, epochs * (_cost.PerCellEpoch(Ledger.Spec!, pack) ?? 0));
        if (lasts.Count > 0) _packPace.Add(packId, now, lasts.Max(r => r.Epoch));
        var failure = appends.Select(a => a.Failure).FirstOrDefault(f => f is not null);
        if (failure is null) CaughtUp(packId, records.Count == 0 ? 0 : records.Max(r => r.Epoch));
        // A cell ends diverged once its stored curve does: by a record stored now, or by one stored before its silo was
        // lost, ahead of the delayed ledger write that would have ended the cell (the store takes nothing after it).
        var diverged = cells.Select(g => g.Key)
            .Where(id => _curves!.CachedLatest(id) is { Diverged: true } && EndsAs(Ledger.Cells[id].State, CellState.Diverged)).ToList();
        foreach (var id in diverged) await EndCellAsync(id, CellState.Diverged, null, storedDivergence: true);
        if (diverged.Count > 0 || training.Count > 0) await CellsChangedAsync();
        // The pack keeps every record and sends them again; those stored now are then ignored.
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        // A pack with no cell left to train stops too, in a running sweep: one that missed the stop of a cancel that an
        // extension overtook (the sweep runs again for the added cells only) would otherwise train its cancelled cells
        // to the end, on a slot the added packs wait for.
        return new ReportReply(Stop: Ledger.State != SweepState.Running || _suspended || pack.Cells.All(c => Ledger.Cells[c.CellId].State.IsFinal()));
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
        : $"epoch records are refused ({_curveGaps.Values.First()}{(_curveGaps.Count > 1 ? $"; {Units.Count(_curveGaps.Count - 1, "more cell")}" : "")}); " +
          "they are retried, and stored once the curve reads whole again: if a curve file was moved away, put it back; if it is " +
          "lost (a power cut), cancel the sweep, move the pack's checkpoint away and resume it: the pack trains again from epoch 0 " +
          "and its curve goes on from the epochs stored";

    public async Task<bool> PackEndedAsync(string packId, string? incarnation, PackProgress progress)
    {
        if (Ours(packId, incarnation) is not { } pack) return await GoneForAsync(incarnation);
        if (StaleRun(pack, progress)) return false;
        _lostCheckpoints.Remove(packId);
        await ApplyAsync(pack, progress);
        SlotFreed();
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

    /// <summary>Whether what a training grain said speaks for a stale run (<see cref="PackRuns"/>), to be folded into
    /// nothing; if not, its run is noted. Asked once per report, before any await.</summary>
    private bool StaleRun(GridPack pack, PackProgress progress)
    {
        if (!_runs.IsStale(pack.PackId, progress.Run, ending: progress.State != PackRunState.Running)) return false;
        LogStaleRun(Name, pack.PackId, progress.State, progress.Run!);
        return true;
    }

    /// <summary>Folds what a training grain said about its pack into the ledger (its run found not stale). Counted in
    /// <see cref="_applying"/> while it runs: it awaits curve reads after taking the pack out of <c>_running</c>, and a
    /// delete must not begin in between (the ledger write that follows would land after the delete had cleared the ledger).</summary>
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
                Stopped(pack.PackId);
                foreach (var id in open)
                {
                    var outcome = progress.Outcomes?.FirstOrDefault(o => o.CellId == id)
                        ?? new CellOutcome(id, CellState.Failed, 0, "the training grain reported no outcome for this cell");
                    if (outcome.State == CellState.Completed && outcome.LastEpoch < Ledger.Spec!.Epochs)
                    {
                        // It trained the length it was started with, before an extension raised the epochs: it trains on
                        // from its last checkpoint when it is started again.
                        if (Ledger.Cells[id].State == CellState.Running) Ledger.Cells[id].State = CellState.Queued;
                        _finishedAt[pack.PackId] = outcome.LastEpoch;
                    }
                    else await EndCellAsync(id, outcome.State, outcome.Error, ranTo: outcome.LastEpoch);
                    changed = true;
                }
                break;
            default:   // Stopped or Idle: unfinished cells wait for admission again (and resume from their checkpoint)
                Stopped(pack.PackId);
                if (progress.StopReason is { } why)
                {
                    LogPackStoppedToRetry(Name, pack.PackId, why);
                    // A build that sent no cause stopped so only when its GPU ran out of memory.
                    var backoff = StartBackoff.After(_retriedStops.GetValueOrDefault(pack.PackId)?.Backoff, why, DateTimeOffset.UtcNow);
                    _retriedStops[pack.PackId] = new RetriedStop(backoff, progress.StopCause ?? PackStopCause.DeviceMemory);
                    AdmitWhenWaitsEnd();   // its pause, not the watchdog's next tick
                }
                if (progress.YieldedTo is { } to && (progress.Run is null || progress.Run != Ledger.Yields?.LastRun))
                {
                    Ledger.Yields = new SlotYields((Ledger.Yields?.Count ?? 0) + 1, pack.PackId, progress.EpochsCompleted, to,
                        DateTimeOffset.UtcNow, progress.Run);
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
            // may have trained its last epoch (Finished) before it heard the cancel; such a cell is complete, and
            // left cancelled its learning rate would be kept out of the results with a curve as whole as any (and a
            // sweep left with no cancelled cell completes: `local` run again would otherwise find it cancelled for ever).
            foreach (var id in pack.Cells.Select(c => c.CellId).Where(id => Ledger.Cells[id].State == CellState.Cancelled))
            {
                if (await ReadAllOrDamagedAsync(id) is not { } curve) continue;   // status names the damaged file
                var entry = Ledger.Cells[id];
                if (entry.State != CellState.Cancelled) continue;   // decided while we read
                var outcome = progress.Outcomes?.FirstOrDefault(o => o.CellId == id)?.State;
                // A divergence stored after the cancel (before its report's end was made) is the cell's result too.
                CellState? ended = curve.Any(r => r.Diverged) ? CellState.Diverged
                    : progress.State == PackRunState.Finished && outcome == CellState.Completed
                      && curve.Count > 0 && curve[^1].Epoch >= Ledger.Spec!.Epochs ? CellState.Completed
                    : null;
                if (ended is { } state)
                {
                    entry.State = state;
                    _curves!.Forget(id);
                    LogCellEnded(Name, id, state, curve[^1].Epoch);
                }
                CellSummaries.Summarise(entry, curve);
                changed = true;
            }
        }
        if (changed) await CellsChangedAsync();
    }

    /// <summary>Whether a cell in state <paramref name="now"/> takes the end <paramref name="end"/>: one not final yet does,
    /// and a cancelled one takes a divergence stored after its cancel (an epoch the pack finished before it heard the
    /// stop). Divergence is a result: left cancelled, the cell's learning rate would read "failed or cancelled" with an
    /// accuracy from before it diverged, and the sweep would stay cancelled until a resume.</summary>
    private static bool EndsAs(CellState now, CellState end) =>
        !now.IsFinal() || (now == CellState.Cancelled && end == CellState.Diverged);

    /// <summary>Gives a cell its final state and its summary from the stored curve; with <paramref name="storedDivergence"/>,
    /// only if that curve ends diverged. <paramref name="ranTo"/>: the epochs the pack trained a completed cell to.</summary>
    private async Task EndCellAsync(string cellId, CellState state, string? error, bool storedDivergence = false, int? ranTo = null)
    {
        var entry = Ledger.Cells[cellId];
        if (!EndsAs(entry.State, state)) return;
        List<EpochRecord> curve;
        try
        {
            curve = await _curves!.ReadAllAsync(cellId);
        }
        catch (Exception e) when (Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            // The cell ends whatever its curve holds: left running, its ended pack would be started again on every
            // watchdog tick, end again, and the sweep would never finish. Only the latest chunk is read while a cell
            // trains, so an earlier one is found damaged only here. Resumed once the file is good, it ends as it should.
            (state, error, curve) = (CellState.Failed, $"its stored curve is unreadable ({Failures.OneLine(corrupt.Message)}): " +
                                                       "put back a good copy of that file and resume the sweep", []);
        }
        if (!EndsAs(entry.State, state)) return;   // decided while we read
        // The cached chunk it was seen in may hold another report's records while their write is pending (it may fail).
        if (storedDivergence && state == CellState.Diverged && curve is not [.., { Diverged: true }]) return;
        if (state == CellState.Completed && (curve.Count == 0 || curve[^1].Epoch < Ledger.Spec!.Epochs))
        {
            // An extension raised the epochs while the curve was read (the grain is reentrant): the pack ran the old length
            // whole, and the cell trains on from there, as FoldAsync queues one whose pack ended after the raise.
            if (ranTo is { } ran && ran < Ledger.Spec!.Epochs && curve.Count > 0 && curve[^1].Epoch >= ran)
            {
                if (entry.State == CellState.Running) entry.State = CellState.Queued;
                return;
            }
            (state, error) = (CellState.Failed, $"the pack finished but only {curve.Count} of {Ledger.Spec!.Epochs} epochs are stored");
        }
        entry.State = state;
        entry.Error = error;
        CellSummaries.Summarise(entry, curve);
        _curves!.Forget(cellId);
        if (error is null) LogCellEnded(Name, cellId, state, entry.LastEpoch);
        else LogCellEndedWithError(Name, cellId, state, entry.LastEpoch, error);
    }

    /// <summary>Every stored record of the cell, or null when one of its chunk files is damaged: that is said in status
    /// (which file, and what to do) rather than thrown, so that one damaged file cannot keep a cancel from being folded in.</summary>
    private async Task<List<EpochRecord>?> ReadAllOrDamagedAsync(string cellId)
    {
        try
        {
            return await _curves!.ReadAllAsync(cellId);
        }
        catch (Exception e) when (Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            _curveGaps[cellId] = Unreadable(cellId, corrupt);
            return null;
        }
    }

    private static string Unreadable(string cellId, StoredStateCorruptException corrupt) =>
        $"cell {cellId}'s stored curve is unreadable ({Failures.OneLine(corrupt.Message)}): move the damaged file away";

    private async Task CellsChangedAsync()
    {
        if (await CompleteIfDoneAsync()) return;
        ScheduleSave();
        PublishCounts();
        _ = AdmitAsync();
    }

    /// <summary>Completes a running sweep whose cells are all final, or a cancelled one whose cells had all finished
    /// training before the cancel reached them (none is left cancelled); whether it did.</summary>
    private async Task<bool> CompleteIfDoneAsync()
    {
        if (!IsDone()) return false;
        Ledger.State = SweepState.Completed;
        Ledger.FinishedAt = DateTimeOffset.UtcNow;
        await SaveAsync();
        PublishCounts();
        LogCompleted(Name);
        await SyncStoppedAsync();
        return true;
    }

    /// <summary>A ledger stored cancelled with no cancelled cell (an earlier build's cancel of a sweep whose packs had all
    /// finished) completes when read: `local` run again found it cancelled for ever, with nothing to resume. Only marked
    /// here, written by the group-committed writer (an activation must not fail on a write); the first tick tells the
    /// registry.</summary>
    private void CompleteCancelledWithNoCancelledCell()
    {
        if (_options.ReadOnly || Ledger.Deleting || Ledger.State != SweepState.Cancelled || !IsDone()) return;
        Ledger.State = SweepState.Completed;
        Ledger.FinishedAt ??= DateTimeOffset.UtcNow;
        ScheduleSave();
        LogCompleted(Name);
    }

    /// <summary>Whether the sweep should complete: running with every cell final, or cancelled with every cell final and
    /// none of them cancelled.</summary>
    private bool IsDone() => Ledger.State switch
    {
        SweepState.Running => Ledger.Cells.Values.All(e => e.State.IsFinal()),
        SweepState.Cancelled => Ledger.Cells.Values.All(e => e.State.IsFinal() && e.State != CellState.Cancelled),
        _ => false,
    };

    /// <summary>Packs with a running cell in the ledger.</summary>
    private IEnumerable<string> RunningPackIds() =>
        _grid is null ? [] : _grid.Packs.Where(p => p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Running)).Select(p => p.PackId);

    /// <summary>The pack no longer runs: nothing heard from it, no pace of its own (started again, it paces anew).</summary>
    private void Stopped(string packId)
    {
        _running.Remove(packId);
        _packPace.Forget(packId);
    }

    private void Heard(string packId, PackProgress? progress)
    {
        _running.TryGetValue(packId, out var previous);
        _running[packId] = new RunningPack(DateTimeOffset.UtcNow, progress?.Silo ?? previous?.Silo, progress?.Device ?? previous?.Device);
    }
}
