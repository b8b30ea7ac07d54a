namespace GradGuessCluster.Grains.Interfaces;

/// <summary>A call to a sweep whose delete has begun (or stopped halfway): refused, since a mutation would write back what
/// the delete removes and a read would show a sweep with some of its files gone. A type of its own so that a client can
/// tell it apart (watch, after a sweep it followed to its end) without reading the message.</summary>
[GenerateSerializer, Alias("gg.SweepDeletingException")]
public sealed class SweepDeletingException(string message) : Exception(message);
