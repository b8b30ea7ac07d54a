using GradGuessCluster.Client.Bench;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>Which runs of <c>gradguess bench</c> may replace the full record in docs/BENCHMARKS.md: only one that
/// measured all of it. Anything narrower is recorded beside it, in a section named for its narrowing, so that two
/// different narrowed runs keep both their records.</summary>
public sealed class BenchScopeTests
{
    private static readonly EstimatorKind[] AllMethods =
        EstimatorNames.All.Where(m => m != "matched-noise").Select(EstimatorNames.Parse).ToArray();

    private static PackSpec Spec(string data = "fashion-mnist", int width = 128, int depth = 3, EstimatorSettings? estimator = null) =>
        new(new DataSource(data), depth, width, estimator ?? new EstimatorSettings(EstimatorKind.Backprop), 128, 1, 0,
            [new CellSettings(new OptimizerSettings(OptimizerKind.AdamW, 1e-3), 0)]);

    private static readonly BenchDevice Cpu = BenchDevice.Of(CPU);

    [Fact]
    public void TheDefaultRun_InAnyOrder_IsTheFullRecord()
    {
        var scope = BenchScope.Of(AllMethods.Reverse().ToArray(), [512, 128], [4, 1], Spec(), warmup: 2, timed: 5);
        Assert.True(scope.IsFull);
        Assert.Null(scope.Note);
        Assert.Equal("training-bench", scope.Section(Cpu, threads: 1));
        Assert.Equal("training-bench-2-threads", scope.Section(Cpu, threads: 2));
    }

    [Fact]
    public void ANarrowing_IsNamedAlike_InWhateverOrderItsOptionsWereGiven()
    {
        // --methods wt,backprop and backprop,wt wrote two sections, so the second never replaced the first.
        var given = BenchScope.Of([EstimatorKind.WTranspose, EstimatorKind.Backprop], [512, 128, 64], [8, 1], Spec());
        var sorted = BenchScope.Of([EstimatorKind.Backprop, EstimatorKind.WTranspose], [64, 128, 512], [1, 8], Spec());
        Assert.Equal(sorted.Section(Cpu, threads: 1), given.Section(Cpu, threads: 1));
        Assert.Equal("training-bench narrowed: methods backprop,wt; batch sizes 64,128,512; packs 1,8", given.Section(Cpu, threads: 1));
    }

    private static BenchScope NarrowedBy(string expected) => expected switch
    {
        "methods backprop,wt" => BenchScope.Of([EstimatorKind.Backprop, EstimatorKind.WTranspose], [128, 512], [1, 4], Spec()),
        "batch sizes 128" => BenchScope.Of(AllMethods, [128], [1, 4], Spec()),
        "packs 1,4,8" => BenchScope.Of(AllMethods, [128, 512], [1, 4, 8], Spec()),
        "data mnist" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(data: "mnist")),
        "3×256 model" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(width: 256)),
        "--guesses 4" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(estimator: new(EstimatorKind.Backprop, Guesses: 4))),
        "--per-layer" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(estimator: new(EstimatorKind.Backprop, OnePass: false))),
        "--normalise off" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(estimator: new(EstimatorKind.Backprop, Normalise: false))),
        "--guesses 2; --per-layer; --normalise on; --matched-cosine 0.25" => BenchScope.Of(AllMethods, [128, 512], [1, 4],
            Spec(estimator: new(EstimatorKind.Backprop, Guesses: 2, OnePass: false, Normalise: true, MatchedCosine: 0.25))),
        "1 timed epoch" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(), warmup: 1, timed: 1),
        "no warm-up" => BenchScope.Of(AllMethods, [128, 512], [1, 4], Spec(), warmup: 0, timed: 5),
        _ => throw new ArgumentOutOfRangeException(nameof(expected)),
    };

    [Theory]
    [InlineData("methods backprop,wt")]
    [InlineData("batch sizes 128")]
    [InlineData("packs 1,4,8")]
    [InlineData("data mnist")]
    [InlineData("3×256 model")]
    [InlineData("--guesses 4")]
    [InlineData("--per-layer")]
    [InlineData("--normalise off")]
    [InlineData("--guesses 2; --per-layer; --normalise on; --matched-cosine 0.25")]
    [InlineData("1 timed epoch")]
    [InlineData("no warm-up")]
    public void ANarrowedRun_WritesBesideTheFullRecord_AndSaysWhatItLeftOut(string expected)
    {
        var scope = NarrowedBy(expected);
        Assert.False(scope.IsFull);
        Assert.Equal($"training-bench narrowed: {expected}", scope.Section(Cpu, threads: 1));
        Assert.Equal($"training-bench-2-threads narrowed: {expected}", scope.Section(Cpu, threads: 2));
        Assert.Contains($"({expected})", scope.Note);
    }
}
