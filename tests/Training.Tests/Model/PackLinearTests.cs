using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Model;

/// <summary>The pack's batched matmuls against per-cell <c>mm</c>, for a shared [B, F] input and per-cell inputs.</summary>
public class PackLinearTests
{
    private static readonly Scalar Nan = float.NaN.ToScalar();
    private const int Pack = 3, Batch = 5, In = 7, Out = 4;

    public PackLinearTests() => TinyNets.Init();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Apply_EqualsEachCellsAffineMap(bool sharedInput)
    {
        using var scope = NewDisposeScope();
        var x = sharedInput ? randn(Batch, In) : randn(Pack, Batch, In);
        var w = randn(Pack, Out, In);
        var b = randn(Pack, Out);
        var withBias = PackLinear.Apply(x, w, b);
        var withoutBias = PackLinear.Apply(x, w, null);
        for (int p = 0; p < Pack; p++)
        {
            var xp = sharedInput ? x : x[p];
            AssertClose(mm(xp, w[p].t()).add(b[p], Scalars.One), withBias[p]);
            AssertClose(mm(xp, w[p].t()), withoutBias[p]);
        }
    }

    /// <summary>Both ways of computing it: one GEMM per cell (one CPU thread) and the whole pack in one GEMM (more
    /// threads, GPUs); which one OuterSumInto takes depends on the thread count, so each is called directly.</summary>
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public void OuterSum_WritesOrAddsEachCellsOuterSumIntoItsSliceOfAFlatBuffer_AndNothingElse(bool sharedInput, bool accumulate, bool batched)
    {
        using var scope = NewDisposeScope();
        var x = sharedInput ? randn(Batch, In) : randn(Pack, Batch, In);
        var g = randn(Pack, Batch, Out);
        // The cells' W views of a [P, N] buffer, as in LayeredTensor. Overwriting must ignore the old values (NaN here);
        // accumulating must add to them.
        var flat = full(Pack, Out * In + 5, Nan, ScalarType.Float32);
        var into = flat.narrow(1, 2, Out * In).view(Pack, Out, In);
        var old = randn(Pack, Out, In);
        if (accumulate) into.copy_(old);
        if (batched) PackLinear.OuterSumBatched(g, x, into, accumulate);
        else PackLinear.OuterSumPerCell(g, x, into, accumulate);
        for (int p = 0; p < Pack; p++)
        {
            var xp = sharedInput ? x : x[p];
            var outer = einsum("bo,bn->on", g[p], xp);
            AssertClose(accumulate ? outer.add(old[p], Scalars.One) : outer, into[p]);
        }
        Assert.True(flat.narrow(1, 0, 2).isnan().all().item<bool>(), "the slots before the view were written");
        Assert.True(flat.narrow(1, 2 + Out * In, 3).isnan().all().item<bool>(), "the slots after the view were written");
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        Assert.True(expected.allclose(actual, rtol: 1e-5, atol: 1e-5), $"max error {expected.sub(actual).abs().max().item<float>()}");
}
