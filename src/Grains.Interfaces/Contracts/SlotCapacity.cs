namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Training slots over all live silos that advertise them.</summary>
[GenerateSerializer, Immutable, Alias("gg.SlotCapacity")]
public sealed record SlotCapacity([property: Id(0)] int Total, [property: Id(1)] int Used)
{
    public int Free => Math.Max(0, Total - Used);
}
