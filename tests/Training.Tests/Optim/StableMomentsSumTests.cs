using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Tests.Optim;

/// <summary>StableAdamW's clipping RMS over a large tensor (a wide model's hidden layer): its sum of terms must not drift
/// in float lanes. Summing 0.1f a million times in one float gives about 100958, not 100000.</summary>
public class StableMomentsSumTests
{
    [Fact]
    public void TheSumOfManyTerms_KeepsDoublePrecision()
    {
        const int n = 8 * 1024 * 1024 + 3;                                          // a million terms per lane, and a tail
        var g = new float[n];
        Array.Fill(g, 1f);
        var v = new float[n];
        var u = new float[n];
        // β̂2 = 0 (the first step): u = g² = 1, and each term g² / max(u, ε²) = 1 / 10 = 0.1f.
        double sum = CpuKernels.StableMoments(g, v, u, beta1: 0, beta2: 0, epsSquared: 10);
        double exact = n * (double)0.1f;
        Assert.True(Math.Abs(sum - exact) / exact < 1e-4, $"sum {sum}, exactly {exact}");
        Assert.All(new[] { u[0], u[n - 1], v[0], v[n - 1] }, x => Assert.Equal(1f, x));
    }
}
