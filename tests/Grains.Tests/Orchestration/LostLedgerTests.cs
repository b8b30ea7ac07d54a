using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A sweep's ledger is lost (damaged, and removed as its error says to) and the same spec is submitted again:
/// the sweep is rebuilt as the incarnation its registry entry names, so a stopped pack continues from its checkpoint
/// instead of training from the start. Without stored curves (what an interrupted delete leaves) it is a new sweep.</summary>
public sealed class LostLedgerTests
{
    private readonly NoOpPackTrainerFactory _trainer = new(TimeSpan.FromMilliseconds(30));
    private readonly SweepSpec _spec = TestSpecs.Small("lost-ledger", [0.1, 0.01], epochs: 16) with { CheckpointEvery = 2 };

    [Fact]
    public async Task SameSpecAfterTheLedgerWasLost_RebuildsTheSweep_AndTheStoppedPackContinuesFromItsCheckpoint()
    {
        var directory = NewDirectory();
        try
        {
            await CancelledMidPack.RunAsync(directory, _spec, _trainer);
            MoveAway(Path.Combine(directory, "state", "gg-sweep", "lost-ledger.sweep.state"));

            var (done, logs) = await SubmitAgainAsync(directory, async (cluster, sweep) =>
            {
                // A pack ending while the ledger is missing: its checkpoint is kept for the rebuild, unless it trained for
                // another incarnation (a deleted sweep of the name).
                var incarnation = (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single().Incarnation;
                var packId = Path.GetFileName(Directory.GetFiles(Path.Combine(cluster.CheckpointDirectory, _spec.Name), "*.ckpt")[0]).Split('.')[0];
                var stopped = new PackProgress(PackRunState.Stopped, 4, "elsewhere", "cpu", null);
                Assert.False(await sweep.PackEndedAsync(packId, incarnation, stopped), "a pack of the lost ledger's sweep was told it is gone");
                Assert.True(await sweep.PackEndedAsync(packId, "0123456789ab", stopped), "a pack of another incarnation was not told its sweep is gone");
                // Its reports are refused, not answered as stored (the pack would drop them and checkpoint past them).
                var record = new EpochRecord("0123456789abcdef", 5, 1.0, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, false);
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => sweep.ReportEpochsAsync(packId, incarnation, [record]));
                Assert.Contains("has no ledger (lost, not deleted)", refused.Message);
                Assert.True((await sweep.ReportEpochsAsync(packId, "0123456789ab", [record])).Stop);
            });

            Assert.Single(logs.Matching("rebuilding it as incarnation"));
            Assert.Matches("resuming from its checkpoint at epoch [1-9]", Assert.Single(logs.Matching("resuming from its checkpoint")));
            Assert.Empty(logs.Matching("forgetting the state of an earlier"));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SameSpecWithoutStoredCurves_IsANewSweep_ThatTakesNothingFromTheOldPacks()
    {
        var directory = NewDirectory();
        try
        {
            await CancelledMidPack.RunAsync(directory, _spec, _trainer);
            // What a delete interrupted after its curves and its ledger went leaves: the registry entry, and the state and
            // checkpoint a pack still stopping wrote afterwards.
            MoveAway(Path.Combine(directory, "state", "gg-sweep", "lost-ledger.sweep.state"));
            Directory.Delete(Path.Combine(directory, "state", "gg-curve", "lost-ledger"), recursive: true);

            var (done, logs) = await SubmitAgainAsync(directory);

            Assert.Empty(logs.Matching("rebuilding it as incarnation"));
            Assert.Single(logs.Matching("forgetting the state of an earlier"));
            Assert.Empty(logs.Matching("resuming from its checkpoint"));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task GrownSweepAfterTheLedgerWasLost_IsRebuiltFromItsCurrentSpec_WithItsPacksAsTheyGrew()
    {
        var spec = _spec with { Packing = PackingMode.Lr };
        var grown = spec with { LearningRates = [0.1, 0.01, 0.001] };
        var directory = NewDirectory();
        try
        {
            Dictionary<string, string> packs;
            var hold = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, _trainer), directory))
            {
                var sweep = first.Sweep(spec.Name);
                await sweep.SubmitAsync(spec);
                await first.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
                // The added learning rate trains in a pack of its own, stopped mid-way as the ledger goes.
                hold.HoldAfter(first.Cluster.Silos.Single().Name, 6);
                await sweep.ExtendAsync(grown);
                await first.WaitForAsync(spec.Name, s => s.Cells.Single(c => c.Config.LearningRate == 0.001).Epoch >= 6, TimeSpan.FromSeconds(30),
                    "the added cell did not get going");
                await sweep.CancelAsync();
                hold.Release();
                packs = (await first.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30))).Cells.ToDictionary(c => c.CellId, c => c.PackId);
            }
            Assert.Equal(2, packs.Values.Distinct().Count());
            MoveAway(Path.Combine(directory, "state", "gg-sweep", "lost-ledger.sweep.state"));

            var logs = new LogCapture();
            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => _trainer, directory,
                services: s => s.AddSingleton<ILoggerProvider>(logs));
            var rebuilt = second.Sweep(spec.Name);
            Assert.True((await rebuilt.SubmitAsync(grown)).Created);
            Assert.Equal(packs, (await rebuilt.GetStatusAsync())!.Cells.ToDictionary(c => c.CellId, c => c.PackId));
            var done = await second.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));

            Assert.Single(logs.Matching("rebuilding it as incarnation"));
            Assert.Matches("resuming from its checkpoint at epoch [6-9]", Assert.Single(logs.Matching("resuming from its checkpoint")));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await rebuilt.GetCurvesAsync(null), grown, _trainer);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Submits the spec to a second cluster on the directory and waits for the sweep to finish; its curves must
    /// be those of an uninterrupted run either way.</summary>
    private async Task<(SweepStatus Done, LogCapture Logs)> SubmitAgainAsync(string directory,
        Func<SweepCluster, ISweepCoordinatorGrain, Task>? before = null)
    {
        var logs = new LogCapture();
        await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => _trainer, directory,
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        var sweep = second.Sweep(_spec.Name);
        if (before is not null) await before(second, sweep);
        Assert.True((await sweep.SubmitAsync(_spec)).Created);
        var done = await second.WaitForFinishAsync(_spec.Name, TimeSpan.FromSeconds(30));
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), _spec, _trainer);
        return (done, logs);
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "gg-lost-ledger-" + Guid.NewGuid().ToString("N")[..8]);

    private static void MoveAway(string file) => File.Move(file, file + ".damaged");
}
