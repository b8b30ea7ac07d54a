using System.Collections.Concurrent;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>
/// The pack loop asks its trainer for a rollback copy (a second copy of a wide pack in memory) only in epochs that do not
/// start at a checkpoint: a stop mid-epoch there must checkpoint the epoch's start, elsewhere the checkpoint holds it.
/// </summary>
public sealed class RollbackRequestTests
{
    [Fact]
    public async Task EachEpoch_AsksForRollbackExactlyWhenItsStartIsNotCheckpointed()
    {
        var calls = new ConcurrentQueue<(int Completed, bool RollBack)>();
        var trainers = new Recording(new NoOpPackTrainerFactory(TimeSpan.Zero), calls);
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainers);
        await cluster.Sweep("rollback").SubmitAsync(TestSpecs.Small("rollback", [0.1], epochs: 7) with { CheckpointEvery = 3 });

        var status = await cluster.WaitForFinishAsync("rollback", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, status.State);
        // Checkpoints after epochs 3 and 6: the epochs starting at 0 (nothing trained), 3 and 6 need no copy.
        Assert.Equal([(0, false), (1, true), (2, true), (3, false), (4, true), (5, true), (6, false)], calls);
    }

    private sealed class Recording(IPackTrainerFactory inner, ConcurrentQueue<(int, bool)> calls) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device) => new Recorded(inner.Open(spec, checkpointPath, device), calls);
    }

    private sealed class Recorded(IPackTrainer inner, ConcurrentQueue<(int, bool)> calls) : DelegatingPackTrainer(inner)
    {
        public override IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true)
        {
            calls.Enqueue((EpochsCompleted, rollBack));
            return base.RunEpoch(cancellationToken, rollBack);
        }
    }
}
