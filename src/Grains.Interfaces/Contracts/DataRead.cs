namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The data a pack is about to train on, as one silo read it.</summary>
/// <param name="Digest">The content's digest (<c>GradGuessCluster.Training.Data.DataDigest</c>): the same examples give the
/// same digest wherever and however (gzipped or raw) they are stored.</param>
/// <param name="Source">Where the silo read it, for messages: the set and its directory there.</param>
/// <param name="Silo">The silo's name.</param>
[GenerateSerializer, Immutable, Alias("gg.DataRead")]
public sealed record DataRead(
    [property: Id(0)] string Digest,
    [property: Id(1)] string Source,
    [property: Id(2)] string Silo);
