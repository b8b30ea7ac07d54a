using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>A pack whose runs stopped for a cause that may pass (<see cref="PackStopCause"/>), and when it is tried again.
/// Not reset by a start (the run that follows may stop so again), only by a resume.</summary>
internal sealed record RetriedStop(StartBackoff Backoff, PackStopCause Cause)
{
    public DateTimeOffset NotBefore => Backoff.NotBefore;

    /// <summary>Status's line for it: what happened, the tries and the next one's pause, why, and the way out.</summary>
    public string Describe(string packId) => Cause switch
    {
        PackStopCause.CheckpointWrite => Backoff.Describe(packId, "could not write its checkpoint")
            + "; free space on the checkpoint volume: the pack goes on from its last checkpoint",
        _ => Backoff.Describe(packId, "ran out of GPU memory") + "; fewer SlotsPerGpu, or smaller packs (packing: none), leave each more of a GPU",
    };
}
