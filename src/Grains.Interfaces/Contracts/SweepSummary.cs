namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One entry of the sweep registry.</summary>
[GenerateSerializer, Immutable, Alias("gg.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] SweepState State,
    [property: Id(2)] DateTimeOffset CreatedAt);
