using System.Runtime.InteropServices;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A GPU's memory is shared (several packs on one device, other processes): a pack that runs out of it stops and
/// is tried again after a pause that grows, from its last checkpoint, and status says so. Its cells failed for it before,
/// for good, though the next try might well have fit.</summary>
public sealed class DeviceOutOfMemoryTests
{
    // The message libtorch gives, as TorchSharp passes it on.
    private static Exception Oom() => new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 139.81 GiB total capacity)");

    [Fact]
    public void TheOutOfMemoryError_IsToldFromOtherFailures()
    {
        Assert.True(DeviceOutOfMemory.Is(Oom()));
        Assert.True(DeviceOutOfMemory.Is(new AggregateException(Oom())));
        Assert.False(DeviceOutOfMemory.Is(new ExternalException("CUDA error: an illegal memory access was encountered")));
        Assert.False(DeviceOutOfMemory.Is(new OutOfMemoryException()));   // the host's: the silo's admission is for that
    }

    [Fact]
    public async Task APackWhoseGpuRanOutOfMemory_ResumesLater_AndItsCellCompletesWithItsWholeCurve()
    {
        var spec = TestSpecs.Small("oom", [0.1], epochs: 8);   // checkpoints every 2 epochs
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var runsOutOfMemory = OutOfMemoryAt(epoch: 3, runs: 2, trainer);
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(1)], _ => runsOutOfMemory,
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        await cluster.Sweep("oom").SubmitAsync(spec);

        var done = await cluster.WaitForFinishAsync("oom", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        Curves.AssertUninterrupted(await cluster.Sweep("oom").GetCurvesAsync(null), spec, trainer);
        Assert.Equal(3, runsOutOfMemory.Opened);                      // two runs out of memory, the third to the end
        var stops = logs.Matching("resumes from its last checkpoint");
        Assert.Equal(2, stops.Count);
        Assert.All(stops, line => Assert.Contains("ran out of memory on cuda:0 of Silo_0 in epoch 3: CUDA out of memory", line));
    }

    [Fact]
    public async Task APackThatRunsOutOfMemoryEveryTime_IsShownInStatus_AndItsCellIsNotFailed()
    {
        var spec = TestSpecs.Small("oom-always", [0.1], epochs: 8);
        await using var cluster = await SweepCluster.StartAsync([new SiloSpec(1)],
            _ => OutOfMemoryAt(epoch: 1, runs: int.MaxValue, new NoOpPackTrainerFactory(TimeSpan.Zero)));
        await cluster.Sweep("oom-always").SubmitAsync(spec);

        var status = await cluster.WaitForAsync("oom-always", s => s.Problem?.Contains("ran out of GPU memory") == true,
            TimeSpan.FromSeconds(30), "status never said the pack ran out of GPU memory");
        Assert.Matches(@"^pack \S+ ran out of GPU memory \(\d+ tries, the next after [\d.]+ s\): ran out of memory on cuda:0 of Silo_0 in epoch 1: " +
                       "CUDA out of memory.*; fewer SlotsPerGpu, or smaller packs \\(packing: none\\), leave each more of a GPU$", status.Problem);
        Assert.Equal(0, status.Count(CellState.Failed));
        Assert.Equal(SweepState.Running, status.State);
    }

    /// <summary>Its first <paramref name="runs"/> runs throw libtorch's out-of-memory error in epoch <paramref name="epoch"/>.</summary>
    private static FirstRunsFactory OutOfMemoryAt(int epoch, int runs, IPackTrainerFactory inner) =>
        new(runs, inner, (failing, trainer) => new Trainer(failing ? epoch : 0, trainer));

    private sealed class Trainer(int failAt, IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true) =>
            EpochsCompleted + 1 == failAt ? throw Oom() : base.RunEpoch(cancellationToken, rollBack);
    }
}
