namespace GradGuessCluster.Grains.Placement;

/// <summary>Places a training grain only on a silo with a free training slot (<see cref="GpuPlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("gg.GpuPlacementStrategy")]
public sealed class GpuPlacementStrategy : PlacementStrategy
{
    public static readonly GpuPlacementStrategy Instance = new();
}
