using System.Runtime.InteropServices;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A pack that resumes under other numerics than its checkpoint was written under (a silo with another thread
/// count, libtorch or CPU) trains on, and its sweep's status says so: its curves are correct, but not bit for bit an
/// uninterrupted run's. A sweep whose packs never did says nothing of numerics.</summary>
public sealed class ResumedNumericsTests
{
    private static readonly NumericsChange Change =
        new("libtorch 2.10.0.0, cpu, 1 thread, oneMKL code path 0", "libtorch 2.10.0.0, cpu, 2 threads, oneMKL code path 7");

    [Fact]
    public async Task APackResumedUnderOtherNumerics_IsNamedInStatus_WithBothNumerics()
    {
        var spec = TestSpecs.Small("numerics", [0.1], epochs: 8);   // checkpoints every 2 epochs
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        // The first run stops in epoch 3 (out of GPU memory, retried by itself); the second resumes from epoch 2 elsewhere.
        var factory = new FirstRunsFactory(1, trainer, (first, t) => new Trainer(first, t));
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(1)], _ => factory);
        await cluster.Sweep("numerics").SubmitAsync(spec);

        var done = await cluster.WaitForFinishAsync("numerics", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Curves.AssertUninterrupted(await cluster.Sweep("numerics").GetCurvesAsync(null), spec, trainer);
        Assert.Equal(2, factory.Opened);
        Assert.Equal(new NumericsResumes(1, done.Cells.Single().PackId, new ResumedNumerics(Change.Stored, Change.Now), done.Numerics?.LastRun),
            done.Numerics);
        Assert.NotNull(done.Numerics!.LastRun);
        Assert.Equal(1, GaugeReadings.OfSweep<int>(MetricNames.PacksResumedOtherNumerics, "numerics"));
    }

    [Fact]
    public async Task ASweepWhosePacksResumeUnderTheSameNumerics_SaysNothingOfThem()
    {
        var spec = TestSpecs.Small("same-numerics", [0.1], epochs: 6);
        var factory = new FirstRunsFactory(1, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10)), (first, t) => new Trainer(first, t, change: false));
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(1)], _ => factory);
        await cluster.Sweep("same-numerics").SubmitAsync(spec);

        var done = await cluster.WaitForFinishAsync("same-numerics", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(2, factory.Opened);   // it did resume
        Assert.Null(done.Numerics);
        Assert.Equal(0, GaugeReadings.OfSweep<int>(MetricNames.PacksResumedOtherNumerics, "same-numerics"));   // exported from 0
    }

    private sealed class Trainer(bool first, IPackTrainer inner, bool change = true) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true) =>
            first && EpochsCompleted + 1 == 3
                ? throw new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 139.81 GiB total capacity)")
                : base.RunEpoch(cancellationToken, rollBack);

        public override NumericsChange? NumericsChange => change && !first && EpochsCompleted > 0 ? Change : null;
    }
}
