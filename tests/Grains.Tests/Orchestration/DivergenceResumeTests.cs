using System.Text.RegularExpressions;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack stores that a cell diverged as soon as it does, before the epoch's records reach the sweep. When its
/// silo dies then, the pack resumes from a checkpoint before that epoch, and the run it trains again need not diverge (a
/// GPU's sums are not bit-exact across runs; here a trainer that diverges on its first run only): the cell must end as
/// its new run went, not as a divergence that no stored record shows.</summary>
public sealed class DivergenceResumeTests
{
    [Fact]
    public async Task ADivergenceStoredBeforeItsRecords_IsForgotten_WhenThePackTrainsThoseEpochsAgainWithoutOne()
    {
        var spec = TestSpecs.Small("diverge-resume", [0.1, 1.0], epochs: 8, packing: PackingMode.Lr) with { CheckpointEvery = 4 };
        var directory = Path.Combine(Path.GetTempPath(), "gg-diverge-resume-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var diverging = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20), divergeAtLearningRate: 0.5);   // lr 1.0, epoch 2
            var gate = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, diverging), directory))
            {
                gate.HoldAfter(EpochGate.AnySilo, 1);
                await first.Sweep(spec.Name).SubmitAsync(spec);
                await first.WaitForAsync(spec.Name, s => s.Cells.All(c => c.Epoch >= 1), TimeSpan.FromSeconds(30), "epoch 1 was not stored");
                await gate.WaitHeldAsync("the pack was not held after epoch 1");
                // Curves cannot be stored from here (a file where their directory belongs): epoch 2's records, the
                // divergence among them, stay with the pack, which dies before its first checkpoint (epoch 4).
                var curves = Path.Combine(first.StateDirectory, "gg-curve");
                Directory.Move(curves, curves + ".aside");
                await File.WriteAllTextAsync(curves, "not a directory");
                gate.FreezeAfter(EpochGate.AnySilo, 2);
                gate.Release();
                for (var until = DateTime.UtcNow.AddSeconds(30); !DivergenceStored(first.StateDirectory); await Task.Delay(50))
                    Assert.True(DateTime.UtcNow < until, "the pack did not store the divergence");
                await first.Cluster.KillSiloAsync(first.Cluster.Silos.Single());
                File.Delete(curves);
                Directory.Move(curves + ".aside", curves);
            }

            var calm = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));   // this run diverges nowhere
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => calm, directory);
            var done = await second.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(60));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await second.Sweep(spec.Name).GetCurvesAsync(null), spec, calm);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Whether a stored pack state of the sweep holds a cell's divergence (its DivergedAt map has an entry).</summary>
    private static bool DivergenceStored(string stateDirectory)
    {
        var packs = Path.Combine(stateDirectory, "gg-training");
        return Directory.Exists(packs) && Directory.EnumerateFiles(packs, "*.state", SearchOption.AllDirectories)
            .Any(f => Regex.IsMatch(File.ReadAllText(f), "\"DivergedAt\":\\{[^}]*\"[0-9a-f]{16}\":2\\b"));
    }
}
