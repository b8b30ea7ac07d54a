namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The ReLU MLP: <paramref name="Depth"/> hidden layers of <paramref name="Width"/> units (the study: 3 × 128).
/// <paramref name="InitScale"/> multiplies every initial weight and bias (PyTorch's default initialisation, which null
/// keeps), for starting nearer the origin (or further from it).</summary>
[GenerateSerializer, Immutable, Alias("gg.ModelSpec")]
public sealed record ModelSpec([property: Id(0)] int Depth = 3, [property: Id(1)] int Width = 128, [property: Id(2)] double? InitScale = null);
