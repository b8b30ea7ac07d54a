using System.Text.RegularExpressions;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A sweep stored as running whose cells are all final (an extension whose write failed after the last pack
/// ended left it so: the added cells had held it open, and nothing else came to complete it) completes once its
/// coordinator wakes, without training anything again. Before, it stood running at 100 % for good, and `local` waited
/// on it forever.</summary>
public sealed class StuckCompletionTests
{
    [Fact]
    public async Task ASweepStoredAsRunningWithEveryCellFinal_CompletesOnceItsCoordinatorWakes()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var directory = await CompletedSweepAsync(trainer, "stuck");
        try
        {
            // The ledger as such a failed extension leaves it: running, every cell completed, no finish time.
            await RestateAsync(directory, "stuck", SweepState.Running, keepFinishTime: false);
            int opened = trainer.Opened;

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory);
            var status = await second.WaitForFinishAsync("stuck", TimeSpan.FromSeconds(20));
            Assert.Equal(SweepState.Completed, status.State);
            Assert.NotNull(status.FinishedAt);
            Assert.Equal(opened, trainer.Opened);   // nothing trained again
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A cancel of such a sweep, before anything completed it (a silo that resumes no sweep by itself, as under
    /// `local`), completes it: it used to be stored cancelled with no cancelled cell, which only a resume completed.</summary>
    [Fact]
    public async Task CancellingASweepWhoseCellsAreAllFinal_CompletesIt()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var directory = await CompletedSweepAsync(trainer, "stuck-cancel");
        try
        {
            await RestateAsync(directory, "stuck-cancel", SweepState.Running, keepFinishTime: false);

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory, configure: o => o.ResumeSweeps = false);
            var sweep = second.Sweep("stuck-cancel");
            Assert.Equal(SweepState.Running, (await sweep.GetStatusAsync())!.State);   // nothing has completed it yet
            Assert.Equal(0, await sweep.CancelAsync());

            var status = (await sweep.GetStatusAsync())!;
            Assert.Equal(SweepState.Completed, status.State);
            Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A ledger an earlier build stored cancelled with no cancelled cell reads completed from the first status
    /// on (`local` run again reads it before anything else), and is stored so; the registry learns it too.</summary>
    [Fact]
    public async Task ASweepStoredAsCancelledWithNoCancelledCell_ReadsCompleted_AndIsStoredSo()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var directory = await CompletedSweepAsync(trainer, "stuck-cancelled");
        try
        {
            await RestateAsync(directory, "stuck-cancelled", SweepState.Cancelled, keepFinishTime: true);
            await RestateRegistryAsync(directory, SweepState.Cancelled);   // as that build's cancel told it
            int opened = trainer.Opened;

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory, configure: o => o.ResumeSweeps = false);
            var status = (await second.Sweep("stuck-cancelled").GetStatusAsync())!;
            Assert.Equal(SweepState.Completed, status.State);
            Assert.NotNull(status.FinishedAt);
            await second.WaitForRegistryCompletedAsync("stuck-cancelled", TimeSpan.FromSeconds(20));
            var ledger = LedgerPath(directory, "stuck-cancelled");
            for (var until = DateTime.UtcNow.AddSeconds(20); !(await File.ReadAllTextAsync(ledger)).Contains(SweepStateText(SweepState.Completed), StringComparison.Ordinal);
                 await Task.Delay(50))
                Assert.True(DateTime.UtcNow < until, "the completion was never written");
            Assert.Equal(opened, trainer.Opened);   // nothing trained again
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A state directory holding one completed two-cell sweep.</summary>
    private static async Task<string> CompletedSweepAsync(NoOpPackTrainerFactory trainer, string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gg-stuck-" + Guid.NewGuid().ToString("N")[..8]);
        await using var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory);
        await first.Sweep(name).SubmitAsync(TestSpecs.Small(name, [0.1, 0.01], epochs: 2));
        Assert.Equal(SweepState.Completed, (await first.WaitForFinishAsync(name, TimeSpan.FromSeconds(30))).State);
        return directory;
    }

    /// <summary>Edits the stored ledger of a completed sweep to another sweep state, its cells left completed.</summary>
    private static async Task RestateAsync(string directory, string name, SweepState state, bool keepFinishTime)
    {
        var ledger = LedgerPath(directory, name);
        var text = await File.ReadAllTextAsync(ledger);
        var completed = SweepStateText(SweepState.Completed);
        Assert.Single(Regex.Matches(text, Regex.Escape(completed)));   // the sweep's: its cells' Completed is another number
        text = text.Replace(completed, SweepStateText(state), StringComparison.Ordinal);
        if (!keepFinishTime) text = Regex.Replace(text, "\"FinishedAt\":\"[^\"]*\"", "\"FinishedAt\":null");
        await File.WriteAllTextAsync(ledger, WithoutChecksum(text));
    }

    /// <summary>Edits the registry's entry of the one sweep it holds, completed, to another sweep state.</summary>
    private static async Task RestateRegistryAsync(string directory, SweepState state)
    {
        var registry = Path.Combine(directory, "state", "gg-registry", "0.registry.state");
        var text = await File.ReadAllTextAsync(registry);
        Assert.Single(Regex.Matches(text, Regex.Escape(SweepStateText(SweepState.Completed))));
        text = text.Replace(SweepStateText(SweepState.Completed), SweepStateText(state), StringComparison.Ordinal);
        await File.WriteAllTextAsync(registry, WithoutChecksum(text));
    }

    /// <summary>Edited by hand, a state file can keep no checksum: dropped from the header, as files of earlier builds have none.</summary>
    private static string WithoutChecksum(string text) => Regex.Replace(text, "^(gradguess-state 1 [0-9a-f]+) [0-9a-f]+\n", "$1\n");

    private static string LedgerPath(string directory, string name) => Path.Combine(directory, "state", "gg-sweep", name + ".sweep.state");

    private static string SweepStateText(SweepState state) => $"\"State\":{(int)state},";
}
