using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A sweep that grew over several generations loses its ledger, and an older generation's spec is submitted
/// again: the sweep is rebuilt with that generation's cells in the packs they had then, so a stopped pack continues
/// from its checkpoint instead of being regrouped under a new pack id and trained from the start.</summary>
public sealed class LostLedgerGrowthTests
{
    private readonly NoOpPackTrainerFactory _trainer = new(TimeSpan.FromMilliseconds(30));

    // g1 [a, b] → g2 [a, b, c] → g3 [a, b, c, d], packed by learning rate: [a, b], [c] and [d].
    private static readonly SweepSpec G1 = TestSpecs.Small("lost-growth", [0.1, 0.01], epochs: 16, packing: PackingMode.Lr) with { CheckpointEvery = 2 };
    private static readonly SweepSpec G2 = G1 with { LearningRates = [0.1, 0.01, 0.001] };
    private static readonly SweepSpec G3 = G1 with { LearningRates = [0.1, 0.01, 0.001, 0.0001] };

    [Fact]
    public async Task OlderGenerationAfterTheLedgerWasLost_IsRebuiltWithThePacksItHad()
    {
        var directory = NewDirectory();
        try
        {
            var packs = await GrowAndLoseTheLedgerAsync(directory);

            var logs = new LogCapture();
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => _trainer, directory,
                services: s => s.AddSingleton<ILoggerProvider>(logs));
            var rebuilt = second.Sweep(G1.Name);
            Assert.True((await rebuilt.SubmitAsync(G2)).Created);
            Assert.Equal(packs, (await rebuilt.GetStatusAsync())!.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            var done = await second.WaitForFinishAsync(G1.Name, TimeSpan.FromSeconds(30));

            Assert.Single(logs.Matching("rebuilding it as incarnation"));
            Assert.Matches("resuming from its checkpoint at epoch [6-9]", Assert.Single(logs.Matching("resuming from its checkpoint")));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await rebuilt.GetCurvesAsync(null), G2, _trainer);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The cell of g3 that a rebuild from g2 leaves out keeps its stored curve; a delete must remove it too, or a
    /// new sweep of this name with that cell would take the deleted sweep's curve as its own.</summary>
    [Fact]
    public async Task DeleteAfterARebuildFromAnOlderGeneration_RemovesTheLeftOutCellsCurves()
    {
        var directory = NewDirectory();
        try
        {
            await GrowAndLoseTheLedgerAsync(directory);
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => _trainer, directory);
            var rebuilt = second.Sweep(G1.Name);
            Assert.True((await rebuilt.SubmitAsync(G2)).Created);
            await second.WaitForFinishAsync(G1.Name, TimeSpan.FromSeconds(30));

            // A pack's end may still be folding in just after the sweep shows finished: the delete says so, and is asked again.
            var deletion = await rebuilt.DeleteAsync(false);
            for (var until = DateTime.UtcNow.AddSeconds(30); deletion.Outcome == SweepDeletionOutcome.Stopping; deletion = await rebuilt.DeleteAsync(false))
            {
                Assert.True(DateTime.UtcNow < until, "the delete still said stopping after 30 s");
                await Task.Delay(100);
            }
            Assert.Equal(SweepDeletionOutcome.Deleted, deletion.Outcome);
            Assert.Equal(3, deletion.Cells);
            Assert.Equal(4, deletion.CurveChunks);   // 16 epochs: one chunk for each of a, b, c and the left-out d

        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "gg-lost-growth-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Grows the sweep g1 → g2 (whose added pack is cancelled part-way, checkpointed) → g3, then moves its ledger
    /// away; returns each g3 cell's pack.</summary>
    private async Task<Dictionary<string, string>> GrowAndLoseTheLedgerAsync(string directory)
    {
        Dictionary<string, string> packs;
        var hold = new EpochGate();
        await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, _trainer), directory))
        {
            var sweep = first.Sweep(G1.Name);
            await sweep.SubmitAsync(G1);
            await first.WaitForFinishAsync(G1.Name, TimeSpan.FromSeconds(30));
            // c's pack stops mid-way (checkpointed) when the sweep is cancelled.
            hold.HoldAfter(first.Cluster.Silos.Single().Name, 6);
            await sweep.ExtendAsync(G2);
            await first.WaitForAsync(G1.Name, s => s.Cells.Single(c => c.Config.LearningRate == 0.001).Epoch >= 6, TimeSpan.FromSeconds(30),
                "the added cell did not get going");
            await sweep.CancelAsync();
            hold.Release();
            packs = (await first.WaitForFinishAsync(G1.Name, TimeSpan.FromSeconds(30))).Cells.ToDictionary(c => c.CellId, c => c.PackId);
            await sweep.ExtendAsync(G3);
            await first.WaitForFinishAsync(G1.Name, TimeSpan.FromSeconds(30));
        }
        Assert.Equal(2, packs.Values.Distinct().Count());
        var ledger = Path.Combine(directory, "state", "gg-sweep", "lost-growth.sweep.state");
        File.Move(ledger, ledger + ".damaged");
        return packs;
    }
}
