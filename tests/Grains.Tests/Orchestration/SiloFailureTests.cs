using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Acceptance: a silo killed mid-sweep loses nothing, duplicates nothing and changes no number.</summary>
public sealed class SiloFailureTests
{
    [Fact]
    public async Task Sweep_WhenAGpuSiloIsKilledMidSweep_CompletesOnTheOthersWithIdenticalCurves()
    {
        var log = new TrainingLog();
        var freeze = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(80));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, SiloSpec.TwoGpus, SiloSpec.TwoGpus],
            silo => freeze.For(silo, log.For(silo, trainer)));
        var spec = TestSpecs.Twelve("failover", epochs: 8, checkpointEvery: 3);
        // Silo_1's packs stop for good after epoch 4 (of 8, past their checkpoint at 3): whenever the kill comes, it
        // finds them mid-curve, where on a loaded machine they could have finished before it.
        freeze.FreezeAfter("Silo_1", 4);
        await cluster.Sweep("failover").SubmitAsync(spec);

        // Kill Silo_1 once it is training and some epochs are stored.
        await cluster.WaitForAsync("failover", s => s.Cells.Sum(c => c.Epoch) >= 12 && log.Opened.Any(o => o.Silo == "Silo_1"),
            TimeSpan.FromSeconds(30), "did not get going");
        var victim = cluster.Cluster.Silos.Single(s => s.Name == "Silo_1");
        freeze.Freeze(victim.Name);                              // a crash: its packs neither report nor checkpoint again
        await cluster.Cluster.KillSiloAsync(victim);
        var openedBeforeKill = log.Opened.Count;

        var status = await cluster.WaitForFinishAsync("failover", TimeSpan.FromSeconds(90));

        Assert.Equal(SweepState.Completed, status.State);
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.True(log.Opened.Skip(openedBeforeKill).All(o => o.Silo == "Silo_2"), "after the kill only Silo_2 trains");
        var curves = await cluster.Sweep("failover").GetCurvesAsync(null);
        var expected = Curves.Uninterrupted(spec, trainer);
        Assert.Equal(12, curves.Count);
        foreach (var curve in curves)
        {
            Curves.AssertContiguous(curve.Records, spec.Epochs, curve.CellId);
            Curves.AssertIdentical(expected[curve.CellId], curve.Records, curve.CellId);
        }
    }
}
