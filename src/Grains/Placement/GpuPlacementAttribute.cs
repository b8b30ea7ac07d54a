using Orleans.Placement;

namespace GradGuessCluster.Grains.Placement;

/// <summary>Marks a grain class for <see cref="GpuPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPlacementAttribute() : PlacementAttribute(GpuPlacementStrategy.Instance);
