namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Why a pack stopped for a cause that may pass (<see cref="PackProgress.StopReason"/>): its coordinator starts
/// it again after a pause that grows, and status says which.</summary>
public enum PackStopCause
{
    /// <summary>Its GPU ran out of memory (a GPU's memory is shared, so another try may fit).</summary>
    DeviceMemory,

    /// <summary>Its checkpoint could not be written for want of space (a full volume, a spent quota); it goes on from its
    /// last checkpoint.</summary>
    CheckpointWrite,
}
