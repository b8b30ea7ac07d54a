namespace GradGuessCluster.Grains.Cells;

/// <summary>
/// When a training pack asks the slot ledger whether to give its slot to a waiting sweep (fair share): at each of its
/// checkpoints, and between them at least every <paramref name="interval"/>, since a pack that yields between
/// checkpoints writes one where it stops (as a cancel does). So a waiting sweep gets its slot within about that interval
/// and an epoch, however far apart the checkpoints are. A pack that would end within <paramref name="soon"/> anyway, at
/// the pace of its last epoch, keeps its slot: the waiting sweep gets it as soon, without the stop and the resume.
/// </summary>
/// <param name="interval">The silo's watchdog interval: asks stay a small load on the ledger however many packs train.</param>
/// <param name="soon">The preemption wait (zero: preemption is off, and the pack never asks): a waiting sweep has waited
/// that long already.</param>
/// <param name="clock">The system's by default; a test's to move time by hand.</param>
internal sealed class YieldAsks(TimeSpan interval, TimeSpan soon, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _lastAsk = (clock ?? TimeProvider.System).GetTimestamp();

    /// <param name="atCheckpoint">The pack has just checkpointed.</param>
    /// <param name="epochsLeft">Epochs it has left.</param>
    /// <param name="epochTime">Its last epoch's wall time, reports and evaluation included.</param>
    public bool Due(bool atCheckpoint, int epochsLeft, TimeSpan epochTime)
    {
        if (soon <= TimeSpan.Zero || epochsLeft <= 0 || epochTime * epochsLeft < soon) return false;
        if (!atCheckpoint && _clock.GetElapsedTime(_lastAsk) < interval) return false;
        _lastAsk = _clock.GetTimestamp();
        return true;
    }
}
