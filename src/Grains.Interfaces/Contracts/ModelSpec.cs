namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The ReLU MLP: <paramref name="Depth"/> hidden layers of <paramref name="Width"/> units (the study: 3 × 128).
/// <paramref name="InitScale"/> multiplies every initial weight and bias (PyTorch's default initialisation, which null
/// keeps), for starting nearer the origin (or further from it). <paramref name="Init"/> is a weights file (as
/// <c>gradguess weights</c> writes it) every cell starts from instead, on a path each silo that trains reads;
/// <paramref name="InitDigest"/> the SHA-256 of its bytes (32 hex digits) as the sweep was submitted with it, which the
/// coordinator records when the spec leaves it out and every pack checks the file against.</summary>
[GenerateSerializer, Immutable, Alias("gg.ModelSpec")]
public sealed record ModelSpec([property: Id(0)] int Depth = 3, [property: Id(1)] int Width = 128, [property: Id(2)] double? InitScale = null,
    [property: Id(3)] string? Init = null, [property: Id(4)] string? InitDigest = null);
