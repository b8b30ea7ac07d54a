namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The ReLU MLP: <paramref name="Depth"/> hidden layers of <paramref name="Width"/> units (the study: 3 × 128).</summary>
[GenerateSerializer, Immutable, Alias("gg.ModelSpec")]
public sealed record ModelSpec([property: Id(0)] int Depth = 3, [property: Id(1)] int Width = 128);
