using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A trainer whose disposal throws (a device error freeing its tensors) still lets its pack's end be told: the
/// sweep completes once. Before, the throw skipped the end, and the coordinator, hearing nothing, started the finished
/// pack again and again.</summary>
public sealed class TrainerDisposeFailureTests
{
    [Fact]
    public async Task APackWhoseTrainerFailsToDispose_EndsAndItsSweepCompletes()
    {
        var opened = 0;
        var trainers = new Throwing(new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10)), () => Interlocked.Increment(ref opened));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainers);
        var spec = TestSpecs.Small("dispose", [0.1, 0.01], epochs: 3);
        await cluster.Sweep("dispose").SubmitAsync(spec);

        var status = await cluster.WaitForFinishAsync("dispose", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, status.State);
        Assert.All(status.Cells, c => Assert.Equal((CellState.Completed, 3), (c.State, c.Epoch)));
        await Task.Delay(1500);   // three watchdog ticks: a finished pack whose end was not heard would be started again
        Assert.Equal(2, Volatile.Read(ref opened));
    }

    private sealed class Throwing(IPackTrainerFactory inner, Action onOpen) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
        {
            onOpen();
            return new ThrowsOnDispose(inner.Open(spec, checkpointPath, device));
        }
    }

    private sealed class ThrowsOnDispose(IPackTrainer inner) : DelegatingPackTrainer(inner)
    {
        public override void Dispose()
        {
            base.Dispose();
            throw new InvalidOperationException("the device failed to free the pack's tensors");
        }
    }
}
