using GradGuessCluster.Grains.Interfaces.Contracts;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Sweeps;

public sealed partial class SweepCoordinatorGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} created: {Cells} cells in {Packs} packs")]
    private partial void LogCreated(string sweepId, int cells, int packs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: no ledger, but stored curves and a registry entry: rebuilding it as incarnation {Incarnation}, its packs continue from their checkpoints")]
    private partial void LogRebuilding(string sweepId, string incarnation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} extended: {Cells} cells added in {Packs} packs, {Total} cells in all")]
    private partial void LogExtended(string sweepId, int cells, int packs, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} lengthened: epochs {Before} -> {Epochs}, {Cells} completed cells train on")]
    private partial void LogLengthened(string sweepId, int before, int epochs, int cells);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} pack {PackId}: ignored a report ({State}) of run {Run}, which has ended or is not the pack's current run")]
    private partial void LogStaleRun(string sweepId, string packId, PackRunState state, string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: its ledger was written by another meanwhile; this activation goes, and the sweep is woken to read it again")]
    private partial void LogReloadAfterConflict(string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: the wake after a ledger conflict failed ({Reason}); the next call to it reads the ledger again")]
    private partial void LogWakeAfterConflictFailed(string sweepId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: the wake after a ledger conflict failed ({Reason}); trying again (attempt {Attempt} of {Attempts})")]
    private partial void LogWakeAfterConflictRetried(string sweepId, string reason, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: the silo is stopping; its registry entry is read from the sweep's next activation")]
    private partial void LogRegistrySyncLeftAtStop(string sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} completed")]
    private partial void LogCompleted(string sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} cancelled ({Cells} cells)")]
    private partial void LogCancelled(string sweepId, int cells);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} deleted: {Cells} cells, {Chunks} curve chunks, {Checkpoints} checkpoint files")]
    private partial void LogDeleted(string sweepId, int cells, int chunks, int checkpoints);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} cell {CellId} ended {State} at epoch {Epoch}")]
    private partial void LogCellEnded(string sweepId, string cellId, CellState state, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} cell {CellId} ended {State} at epoch {Epoch}: {Error}")]
    private partial void LogCellEndedWithError(string sweepId, string cellId, CellState state, int epoch, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} pack {PackId} waits for memory, re-queued: {Reason}")]
    private partial void LogWaitingForMemory(string sweepId, string packId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} pack {PackId} found no free slot, waits for one, re-queued: {Reason}")]
    private partial void LogWaitingForSlot(string sweepId, string packId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} pack {PackId} placed without its size (its silo still counts its memory): {Reason}")]
    private partial void LogUnsizedPlacement(string sweepId, string packId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} pack {PackId} not started, re-queued: {Reason}")]
    private partial void LogStartFailed(string sweepId, string packId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep {SweepId} pack {PackId} runs nowhere (no activation, and no slot for one): nothing to stop")]
    private partial void LogStopNowhere(string sweepId, string packId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} pack {PackId}: the stop did not reach it ({Reason}); if it still trains, it stops at its next epoch report")]
    private partial void LogStopFailed(string sweepId, string packId, string reason);

    // Expected for a moment after a silo is lost (the slot ledger may still be addressed to it): a reason, not a trace.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: cells could not be started yet ({Reason}); retrying on the next watchdog tick")]
    private partial void LogAdmissionFailed(string sweepId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: ledger write failed; retrying")]
    private partial void LogLedgerWriteFailed(Exception exception, string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} pack {PackId} refused: silo {Silo} reads data {Digest}, the sweep trained on {SweepDigest}")]
    private partial void LogDataRefused(string sweepId, string packId, string silo, string digest, string sweepDigest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} pack {PackId} went on from epoch {FromEpoch} on silo {Silo}, but it had checkpointed at epoch {Written}: no checkpoint at {Checkpoint} there")]
    private partial void LogLostCheckpoint(string sweepId, string packId, string silo, int fromEpoch, int written, string checkpoint);

    // Information: the training silo warns of it already (TrainingCellGrain); this is the sweep's record of it.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: pack {PackId} resumes on {Silo} under {Now}, its checkpoint "
        + "having been written under {Stored}")]
    private partial void LogResumedUnderOtherNumerics(string sweepId, string packId, string silo, string stored, string now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: priority {Before} -> {After} (its weight in the fair share of slots)")]
    private partial void LogPriority(string sweepId, int before, int after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId} pack {PackId} stopped: {Reason}; it is tried again after a pause")]
    private partial void LogPackStoppedToRetry(string sweepId, string packId, string reason);
}
