namespace GradGuessCluster.Grains.Placement;

/// <summary>Every training slot of the cluster is taken (or none is advertised yet); the coordinator re-queues the pack.</summary>
[GenerateSerializer, Alias("gg.NoTrainingSlotException")]
public sealed class NoTrainingSlotException : Exception
{
    public NoTrainingSlotException(string message) : base(message) { }
}
