namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>How often packs of a sweep gave their slot to another sweep (fair share), and the last time. Such a pack lost
/// no work: it checkpointed where it stopped, queued again and resumed from that checkpoint.</summary>
/// <param name="Count">Slots given up so far.</param>
/// <param name="LastPack">The pack that gave up the last one, at the end of epoch <paramref name="LastEpoch"/>.</param>
/// <param name="LastTo">The sweep it went to.</param>
/// <param name="LastRun">The run of the pack that gave up the last one (<see cref="PackProgress.Run"/>): a report of that
/// yield sent again, after a coordinator that applied it moved, is not counted twice.</param>
[GenerateSerializer, Immutable, Alias("gg.SlotYields")]
public sealed record SlotYields(
    [property: Id(0)] int Count,
    [property: Id(1)] string LastPack,
    [property: Id(2)] int LastEpoch,
    [property: Id(3)] string LastTo,
    [property: Id(4)] DateTimeOffset LastAt,
    [property: Id(5)] string? LastRun = null);
