namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>How often packs of a sweep resumed under other numerics, and the last time: their curves are correct, but no
/// longer bit for bit those of a run that was never interrupted.</summary>
/// <param name="Count">Such resumes so far.</param>
/// <param name="LastPack">The pack of the last one.</param>
/// <param name="Last">Its numerics, before and after.</param>
/// <param name="LastRun">The run that resumed (<see cref="PackStart.Run"/>): a start told again is not counted twice.</param>
[GenerateSerializer, Immutable, Alias("gg.NumericsResumes")]
public sealed record NumericsResumes(
    [property: Id(0)] int Count,
    [property: Id(1)] string LastPack,
    [property: Id(2)] ResumedNumerics Last,
    [property: Id(3)] string? LastRun = null);
