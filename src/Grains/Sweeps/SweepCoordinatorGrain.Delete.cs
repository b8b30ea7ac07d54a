using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Deleting a sweep. The ledger is marked first and cleared last, so an interrupted delete leaves a sweep that
/// refuses everything but another delete, never one that looks whole with some of its files gone.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private Task<SweepDeletion>? _deleting;

    public Task<SweepDeletion> DeleteAsync(bool evenIfRunning)
    {
        if (!_options.AllowDelete) EnsureWritable();
        if (Ledger.Spec is null) return NotFoundAsync();
        if (!Ledger.Deleting)
        {
            if (Ledger.State == SweepState.Running && !evenIfRunning) return Task.FromResult(new SweepDeletion(SweepDeletionOutcome.Running));
            // A cancelled pack stops at its next epoch boundary and then writes its state and checkpoint: wait for it
            // (unless it has not been heard of for several watchdog periods: its end report was lost with its silo).
            // A pack whose end is still being folded in (its curves read) counts as stopping too.
            var heardSince = DateTimeOffset.UtcNow - 4 * _options.WatchdogInterval;
            if (_applying > 0 || _running.Values.Any(r => r.LastHeard > heardSince))
                return Task.FromResult(new SweepDeletion(SweepDeletionOutcome.Stopping));
        }
        return _deleting ??= DeleteOnceAsync();   // two deletes racing share one
    }

    /// <summary>No sweep here. A delete whose registry update failed after its ledger was cleared left the registry
    /// listing the sweep, and nothing else would tell it: a delete of that name tells it again, and the list heals.</summary>
    private async Task<SweepDeletion> NotFoundAsync()
    {
        await SyncRegistryAsync();
        return new SweepDeletion(SweepDeletionOutcome.NotFound);
    }

    private async Task<SweepDeletion> DeleteOnceAsync()
    {
        try
        {
            var spec = Ledger.Spec!;
            StopWatchdog();
            _suspended = true;   // admits nothing more
            await WithdrawDemandAsync();   // nor waits for a slot
            if (!Ledger.Deleting)
            {
                Ledger.Deleting = true;
                await SaveAsync();
            }
            await FlushAsync();
            var grid = _grid!;
            foreach (var pack in grid.Packs) await DeletePackStateAsync(pack.PackId);
            var chunks = 0;
            // With the cells a rebuild from an older spec left out: their curves are this sweep's too.
            foreach (var cellId in grid.Cells.Select(c => c.CellId).Concat(Ledger.LeftOutCells ?? []).Distinct())
                chunks += await _curves!.DeleteAsync(cellId, spec.Epochs);
            var checkpoints = DeleteCheckpoints();
            var cells = grid.Cells.Count;
            await ClearLedgerAsync();
            StopWatchdog();   // one a tick in flight when the delete began may have started again
            _state.State = new SweepCoordinatorState();
            (_grid, _curves) = (null, null);
            _running.Clear();
            _packPace.Clear();
            _runs.Clear();
            _toldToRun.Remove(Name);
            // As new, for a submit of this name while the registry is told below (the grain is reentrant): suspended, it
            // was told "submitted" and admitted nothing, and its watchdog went with this activation.
            _suspended = false;
            ClearStartWaits();
            SweepInstruments.ForgetCellStates(Name);
            LogDeleted(Name, cells, chunks, checkpoints);
            await SyncRegistryAsync();   // the registry drops a sweep whose coordinator has none
            // Not deactivated here: a submit of this name may be creating the sweep anew on this activation (its call
            // to the registry queued behind ours), and would be left on one going away; collection takes an idle one.
            return new SweepDeletion(SweepDeletionOutcome.Deleted, cells, chunks, checkpoints);
        }
        catch (Exception e) when (Ledger.Deleting)
        {
            KeepShowingHalfDeleted();
            // A damaged state keeps its type: a caller holding a state directory removes the sweep's files itself then.
            if (Failures.Cause(e) is StoredStateCorruptException) throw;
            throw new InvalidOperationException($"the delete of sweep '{Name}' stopped halfway: {Failures.Describe(e)}; {FinishDeleting}");
        }
        finally
        {
            _deleting = null;
        }
    }

    /// <summary>A delete stopped halfway stays a problem until deleted again: its gauge says so now (the watchdog that
    /// refreshed it was stopped when the delete began), and a watchdog that only refreshes it keeps this activation, so
    /// that the problem stays exported for the alert instead of going with an idle activation's collection.</summary>
    private void KeepShowingHalfDeleted()
    {
        PublishProgressGauges();
        if (!_options.ReadOnly) StartWatchdog();
    }

    /// <summary>Clears the stored ledger. A conflict may be this very clear, applied once already (its reply lost and
    /// the call retried): the stored ledger is read again, and gone is done; otherwise the next delete tries with its
    /// ETag.</summary>
    private async Task ClearLedgerAsync()
    {
        try
        {
            await _state.ClearStateAsync();
        }
        catch (InconsistentStateException)
        {
            await _state.ReadStateAsync();
            if (_state.RecordExists) throw;
        }
    }

    /// <summary>Through the storage, not the training grain: activating that grain would take a training slot.</summary>
    private async Task DeletePackStateAsync(string packId)
    {
        var id = GrainId.Create(TrainingCellGrain.GrainTypeName, TrainingCellKeys.For(Name, packId));
        var state = new GrainState<TrainingCellState>(new TrainingCellState());
        await _storage.ReadStateAsync(TrainingCellGrain.StateName, id, state);
        if (state.RecordExists) await _storage.ClearStateAsync(TrainingCellGrain.StateName, id, state);
    }

    /// <summary>Removes the sweep's checkpoint directory; returns the number of files it held.</summary>
    private int DeleteCheckpoints()
    {
        var directory = CheckpointFiles.SweepDirectory(_options.CheckpointDirectory, Name);
        if (!Directory.Exists(directory)) return 0;
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(directory, recursive: true);
        return files;
    }

    /// <summary>Mutations of a sweep being deleted would write back what the delete removes; its results and curves would
    /// show a sweep with some of its files gone as if they were all there.</summary>
    private void EnsureNotDeleting()
    {
        if (Ledger.Deleting) throw new SweepDeletingException($"sweep '{Name}' is being deleted; {FinishDeleting}");
    }

    /// <summary>Status's problem line for a sweep whose delete stopped halfway: it still shows its old state and cells.</summary>
    private string HalfDeleted => $"a delete of this sweep stopped halfway (some of its files are gone); {FinishDeleting}";

    private string FinishDeleting => $"if that delete was interrupted, run `gradguess delete {Name}` again (with --state-dir for a local run)";
}
