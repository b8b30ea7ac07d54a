namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The answer to a submit: whether this call created the sweep (false = it existed with the identical spec).</summary>
[GenerateSerializer, Immutable, Alias("gg.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Created,
    [property: Id(2)] int Cells,
    [property: Id(3)] int Packs,
    [property: Id(4)] SweepState State);
