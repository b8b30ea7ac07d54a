namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A pack resumed under other numerics than its checkpoint was written under (another libtorch, device kind,
/// thread count or oneMKL code path; <c>GradGuessCluster.Training.Runtime.NumericsPath</c>).</summary>
/// <param name="Stored">What the checkpoint was written under.</param>
/// <param name="Now">What the resumed run computes under.</param>
[GenerateSerializer, Immutable, Alias("gg.ResumedNumerics")]
public sealed record ResumedNumerics(
    [property: Id(0)] string Stored,
    [property: Id(1)] string Now);
