using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training.Runtime;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Cells;

public sealed partial class TrainingCellGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {SweepId}/{PackId} ({Cells} cells) starting on {Device} of {Silo}")]
    private partial void LogStarting(string sweepId, string packId, int cells, string device, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {SweepId}/{PackId}: its sweep's epochs were raised from {Before} to {Epochs}; it trains on from its checkpoint")]
    private partial void LogLengthened(string sweepId, string packId, int before, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {PackKey}: resuming from its checkpoint at epoch {Epoch}")]
    private partial void LogResumed(string packKey, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: its checkpoint was written under {Stored}, and it resumes under {Now}: "
        + NumericsChange.Consequence)]
    private partial void LogResumedUnderOtherNumerics(string packKey, string stored, string now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {SweepId}/{PackId} ended {State} at epoch {Epoch}")]
    private partial void LogEnded(string sweepId, string packId, PackRunState state, int epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pack {SweepId}/{PackId} checkpointed at epoch {Epoch}")]
    private partial void LogCheckpoint(string sweepId, string packId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: freeing its trainer failed ({Reason}); its end is told all the same")]
    private partial void LogTrainerDisposeFailed(string packKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: storing that a cell diverged failed ({Reason}); the pack trains on, and stores it again when it ends")]
    private partial void LogDivergenceUnstored(string packKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: epoch report failed (attempt {Attempt}): {Reason}")]
    private partial void LogReportFailed(string packKey, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: training failed")]
    private partial void LogLoopFault(Exception exception, string packKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {PackKey} deactivating while training ({Reason}): stopping at the epoch boundary")]
    private partial void LogDeactivating(string packKey, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pack {PackKey}: slot release failed: {Reason}")]
    private partial void LogReleaseFailed(string packKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: its slot on {Device} was given away while its lease lapsed; stopping at the epoch boundary to queue again")]
    private partial void LogLostSlot(string packKey, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey}: coordinator unreachable; {Records} unstored epoch record(s) saved beside the checkpoint of epoch {Epoch}")]
    private partial void LogSavedUnstored(string packKey, int records, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {SweepId}/{PackId}: forgetting the state of an earlier, deleted sweep of that name (incarnation {Incarnation}); training from the start")]
    private partial void LogForgotEarlierSweep(string sweepId, string packId, string incarnation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {SweepId}/{PackId}: its sweep was deleted while it was stopping; removed its state and {Files} checkpoint file(s) it wrote meanwhile")]
    private partial void LogForgotDeletedSweep(string sweepId, string packId, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {PackKey}: removed {Files} checkpoint file(s) of an earlier, deleted sweep of that name")]
    private partial void LogRemovedStaleFiles(string packKey, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {PackKey}: removed {Files} temporary file(s) that checkpoint writes killed with their silo left behind")]
    private partial void LogRemovedLeftoverWrites(string packKey, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {PackKey}: reporting {Records} epoch record(s) an earlier run saved beside its checkpoint")]
    private partial void LogCarried(string packKey, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pack {SweepId}/{PackId}: gives its slot to sweep {To} after epoch {Epoch} (fair share); it checkpoints there, queues again and resumes from there")]
    private partial void LogYielding(string sweepId, string packId, int epoch, string to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pack {PackKey}: the slot ledger could not be asked whether to yield (training on): {Reason}")]
    private partial void LogYieldAskFailed(string packKey, string reason);

    /// <summary>A stop for a cause that may pass (<see cref="PackStopCause"/>): its GPU out of memory, its checkpoint's volume full.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Pack {PackKey} {Reason}; it stops, queues again and resumes from its last checkpoint")]
    private partial void LogStoppedToRetry(string packKey, string reason);
}
