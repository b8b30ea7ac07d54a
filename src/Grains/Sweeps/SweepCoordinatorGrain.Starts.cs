using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>What a pack about to train tells its coordinator: the data it read (a sweep trains on one data set), and the
/// epoch it goes on from (a pack that starts over although its curves are stored past a checkpoint lost that checkpoint).</summary>
public sealed partial class SweepCoordinatorGrain
{
    // Pack → a restart before its checkpoint, said in status until the pack reports an epoch past its stored curves.
    private readonly Dictionary<string, (int StoredTo, string Text)> _lostCheckpoints = new();
    // Pack → the epoch it finished at and checkpointed, before an extension raised the epochs (it trains on from there).
    // In memory: a note of a restart without it is what it is for, and only this activation's raises are known.
    private readonly Dictionary<string, int> _finishedAt = new();

    public async Task<string?> PackStartingAsync(string packId, string? incarnation, PackStart start)
    {
        if (Ours(packId, incarnation) is not { } pack) return null;   // its first report tells it to stop
        _runs.IsStale(packId, start.Run, ending: false);   // notes the run as the pack's current one (a run starting is not stale)
        if (start.Data is { } data && await DataRefusalAsync(packId, data) is { } refusal) return refusal;
        NoteLostCheckpoint(pack, start);
        await NoteNumericsAsync(pack, start);
        return null;
    }

    /// <summary>Counts a resume under other numerics, once per run (a start told again by a retry is the same run).</summary>
    private async Task NoteNumericsAsync(GridPack pack, PackStart start)
    {
        if (start.Numerics is not { } numerics || start.Run is { } run && run == Ledger.Numerics?.LastRun) return;
        LogResumedUnderOtherNumerics(Name, pack.PackId, start.Silo, numerics.Stored, numerics.Now);
        Ledger.Numerics = new NumericsResumes((Ledger.Numerics?.Count ?? 0) + 1, pack.PackId, numerics, start.Run);
        // As the data: on failure it stays in memory and goes with the next ledger write that succeeds.
        try { await SaveAsync(); } catch (Exception e) { LogLedgerWriteFailed(e, Name); }
    }

    /// <summary>Null when the pack may train on <paramref name="data"/>; the first data a sweep hears of becomes its data.</summary>
    private async Task<string?> DataRefusalAsync(string packId, DataRead data)
    {
        if (Ledger.Data is not { } first)
        {
            Ledger.Data = data;
            // Not awaited on failure: the digest stays in memory and goes with the next ledger write that succeeds.
            try { await SaveAsync(); } catch (Exception e) { LogLedgerWriteFailed(e, Name); }
            return null;
        }
        if (first.Digest == data.Digest) return null;
        LogDataRefused(Name, packId, data.Silo, data.Digest, first.Digest);
        return first.Source == data.Source && first.Silo == data.Silo
            ? $"{data.Source} holds other data than this sweep trained on (data digest {data.Digest} now, the sweep's {first.Digest}): "
              + "put back the files the sweep trained on and resume it, or delete the sweep to run it on these"
            : $"{data.Source} on silo {data.Silo} holds other data than this sweep trained on ({first.Source} on silo {first.Silo}; "
              + $"data digest {data.Digest}, the sweep's {first.Digest}): give every silo the files the sweep trained on and resume it, "
              + "or delete the sweep to run it on these";
    }

    /// <summary>A pack's records of epoch e + 1 are reported only once its checkpoint of the last multiple of checkpointEvery
    /// up to e is written: curves stored past such an epoch prove the checkpoint existed. A pack that goes on from before it
    /// lost it (a checkpoint directory that not every silo sees, a file moved away): the curves stay right (the epochs it
    /// trains again are not stored twice), but the time is lost, and on a GPU the retrained epochs take another path.</summary>
    private void NoteLostCheckpoint(GridPack pack, PackStart start)
    {
        _lostCheckpoints.Remove(pack.PackId);
        var storedTo = pack.Cells.Max(c => Ledger.Cells[c.CellId].LastEpoch);
        var every = Ledger.Spec!.CheckpointEvery;
        var written = storedTo < 1 ? 0 : (storedTo - 1) / every * every;
        // A pack that finished a length an extension has raised since wrote its checkpoint at that end, whatever checkpointEvery.
        var finished = _finishedAt.Remove(pack.PackId, out var end) && end > written && end <= storedTo;
        if (finished) written = end;
        if (written == 0 || start.FromEpoch >= written) return;
        LogLostCheckpoint(Name, pack.PackId, start.Silo, start.FromEpoch, written, start.Checkpoint);
        var found = start.FromEpoch == 0 ? $"no checkpoint is at {start.Checkpoint} there" : $"the checkpoint at {start.Checkpoint} there is older";
        _lostCheckpoints[pack.PackId] = (storedTo, $"pack {pack.PackId} went on from epoch {start.FromEpoch} on silo {start.Silo}, but it had "
            + $"{(finished ? "finished and checkpointed" : "checkpointed")} at epoch {written} (its curves are stored to epoch {storedTo}): {found}. "
            + (finished ? "A raise of the epochs trains on from a finished pack's checkpoint: keep them where it may come"
                        : "Every silo must see the checkpoint directory")
            + "; the epochs trained again are not stored twice");
    }

    /// <summary>Forgets a lost checkpoint once its pack has trained past its stored curves, or has ended.</summary>
    private void CaughtUp(string packId, int epoch)
    {
        if (_lostCheckpoints.TryGetValue(packId, out var lost) && epoch > lost.StoredTo) _lostCheckpoints.Remove(packId);
    }

    /// <summary>Status's problem line for packs that lost their checkpoints, if any.</summary>
    private string? LostCheckpointProblem => _lostCheckpoints.Count == 0 ? null
        : _lostCheckpoints.Values.First().Text + (_lostCheckpoints.Count > 1 ? $" ({Units.Count(_lostCheckpoints.Count - 1, "more pack")} too)" : "");
}
