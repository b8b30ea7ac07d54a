using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Loop;

/// <summary>A training pass on the CPU flushes subnormals on its thread and leaves the thread as it found it; the numerics a
/// checkpoint records say so.</summary>
[Collection(ProcessWideState.Name)]   // a pass's thread state: kept apart from tests that set libtorch's threads
public sealed class SubnormalFlushTests
{
    // Static and written at run time, so the JIT cannot fold the product: x86 multiplies it with the thread's MXCSR.
    private static float _subnormal = 1e-39f, _one = 1f;
    private static readonly int Kept = BitConverter.SingleToInt32Bits(1e-39f);

    /// <summary>The bits of 1e-39 × 1: 1e-39's where the thread keeps subnormals, 0 where it flushes them (DAZ reads the
    /// input as 0). Bits, not floats: a flushing thread's float comparison also reads 1e-39 as 0, and finds it equal.</summary>
    private static int Probe() => BitConverter.SingleToInt32Bits(_subnormal * _one);

    private readonly Dataset _data;

    public SubnormalFlushTests()
    {
        TinyNets.Init();
        _data = TinyNets.Data(features: 12, train: 256, test: 64);
    }

    private static PackSpec Spec() => new(new DataSource("synthetic"), Depth: 2, Width: 16, new EstimatorSettings(EstimatorKind.WTranspose),
        BatchSize: 64, Epochs: 2, DataSeed: 5, [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), 1)]);

    /// <summary>What <see cref="Probe"/> gave at every phase mark of one epoch (the marks run on the pass's thread).</summary>
    private List<int> ProbedDuringAnEpoch()
    {
        using var trainer = new PackTrainer(Spec(), _data, CPU);
        var seen = new List<int>();
        trainer.PhaseMark = _ => seen.Add(Probe());
        trainer.RunEpoch(CancellationToken.None);
        return seen;
    }

    [Fact]
    public void ATrainingPass_FlushesSubnormals_AndLeavesTheThreadKeepingThem()
    {
        Assert.True(SubnormalFlush.Enabled(), "this CPU and libtorch should flush");
        Assert.Equal(Kept, Probe());

        var seen = ProbedDuringAnEpoch();

        Assert.NotEmpty(seen);
        Assert.All(seen, v => Assert.Equal(0, v));
        Assert.Equal(Kept, Probe());                          // the thread keeps subnormals again after the pass
        Assert.EndsWith(", subnormals flushed", NumericsPath.Of(CPU));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("flush", true)]
    [InlineData("keep", false)]   // trained with subnormals end to end: ResumeNumericsTests (in a process of its own)
    public void TheVariable_AsksToFlushUnlessItSaysKeep(string? value, bool flush) => Assert.Equal(flush, SubnormalFlush.Asked(value));

    [Fact]
    public void AnUnknownValue_IsRefusedNamingTheVariable()
    {
        var e = Assert.Throws<LibTorchVariableException>(() => SubnormalFlush.Asked("sometimes"));
        Assert.Equal("GRADGUESS_SUBNORMALS=sometimes: expected 'flush' (the default) or 'keep'", e.Message);
    }
}
