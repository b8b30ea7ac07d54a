namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The spec's <c>diagnostics</c> block.</summary>
/// <param name="CosineEvery">Steps between cosine-similarity samples; 0 = off.</param>
/// <param name="EffectiveRank">Record each weight matrix's effective rank at the end of every evaluated epoch.</param>
[GenerateSerializer, Immutable, Alias("gg.DiagnosticsSpec")]
public sealed record DiagnosticsSpec([property: Id(0)] int CosineEvery = 0, [property: Id(1)] bool EffectiveRank = false);
