using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>
/// One per pack of cells (a pack of one cell with packing <c>none</c>), keyed <c>{sweep}/{packId}</c>
/// (<see cref="TrainingCellKeys"/>). Placed only where a training slot is free and pinned to one device; runs the epoch
/// loop off the grain's turn, reports every epoch to its coordinator, checkpoints every N epochs, and on (re)activation
/// resumes from its last checkpoint. Only the coordinator calls it: activating it takes a training slot.
/// </summary>
[Alias("gg.ITrainingCellGrain")]
public interface ITrainingCellGrain : IGrainWithStringKey
{
    /// <summary>Starts (or keeps running, or re-reports the outcome of) the pack. Idempotent, so the coordinator uses it
    /// to re-poke packs whose silo died.</summary>
    [Alias("Start")]
    Task<PackProgress> StartAsync(PackWork work);

    /// <summary>Stops at the next epoch boundary, flushes reports, checkpoints, releases the slot.</summary>
    [Alias("Stop")]
    Task<PackProgress> StopAsync();

    [Alias("GetProgress")]
    Task<PackProgress> GetProgressAsync();
}
