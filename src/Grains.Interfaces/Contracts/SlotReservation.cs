namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A training slot held by one training grain: a silo and one device on it ("cuda:N" or "cpu").</summary>
/// <param name="Claimed">The grain's activation confirmed it (unclaimed reservations expire: placement may fail after reserving).</param>
[GenerateSerializer, Immutable, Alias("gg.SlotReservation")]
public sealed record SlotReservation(
    [property: Id(0)] GrainId Grain,
    [property: Id(1)] SiloAddress Silo,
    [property: Id(2)] string Device,
    [property: Id(3)] bool Claimed,
    [property: Id(4)] DateTimeOffset ReservedAt);
