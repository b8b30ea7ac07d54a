using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Acceptance: 3 silos (one without GPUs, two simulating 2 GPUs × 1 slot), a 12-cell sweep.</summary>
public sealed class GpuPlacementTests
{
    [Fact]
    public async Task Sweep_OnTwoGpuSilos_PlacesOnlyOnGpusAtMostFourAtOnceAndCompletesFullCurves()
    {
        var log = new TrainingLog();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(60));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.TwoGpus, SiloSpec.TwoGpus],
            silo => log.For(silo, trainer));
        var spec = TestSpecs.Twelve("placement");

        var submitted = await cluster.Sweep("placement").SubmitAsync(spec);
        var status = await cluster.WaitForFinishAsync("placement", TimeSpan.FromSeconds(60));

        Assert.True(submitted.Created);
        Assert.Equal(12, submitted.Cells);
        Assert.Equal(SweepState.Completed, status.State);
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.Empty(log.Violations);
        Assert.InRange(log.MaxConcurrent, 1, 4);
        Assert.DoesNotContain(log.Opened, o => o.Silo == "Silo_0");
        Assert.All(log.Opened, o => Assert.Contains(o.Device, new[] { "cuda:0", "cuda:1" }));
        var curves = await cluster.Sweep("placement").GetCurvesAsync(null);
        var expected = Curves.Uninterrupted(spec, trainer);
        Assert.Equal(12, curves.Count);
        foreach (var curve in curves) Curves.AssertIdentical(expected[curve.CellId], curve.Records, curve.CellId);
    }

    /// <summary>A free GPU slot is taken before a CPU slot, on the same silo or another: the CPU's larger slot count once
    /// won, so a pack trained on the CPU while a GPU stood idle.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnePack_GoesToAFreeGpu_BeforeAnyCpuSlot(bool sameSilo)
    {
        var log = new TrainingLog();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        SiloSpec[] silos = sameSilo ? [new SiloSpec(1, CpuTraining: true, CpuSlots: 2)] : [SiloSpec.Cpu(2), new SiloSpec(1)];
        await using var cluster = await SweepCluster.StartAsync(silos, silo => log.For(silo, trainer));

        await cluster.Sweep("gpu-first").SubmitAsync(TestSpecs.Small("gpu-first", [0.1]));
        await cluster.WaitForFinishAsync("gpu-first", TimeSpan.FromSeconds(30));

        Assert.Equal("cuda:0", Assert.Single(log.Opened).Device);
    }
}
