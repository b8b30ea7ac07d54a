using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Deleting a sweep removes every file it has (ledger, curves, pack states, checkpoints) and its registry entry,
/// and nothing of any other sweep; the name can then be submitted again with another spec and trains from epoch 0. A
/// running sweep is refused until cancelled, and an interrupted delete leaves a sweep that refuses submit and resume
/// until a delete finishes it.</summary>
public sealed class DeleteTests
{
    private static readonly NoOpPackTrainerFactory Trainer = new(TimeSpan.FromMilliseconds(2));

    [Fact]
    public async Task Delete_RemovesEverythingOfThatSweepOnly_AndTheNameTakesANewSpec()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => Trainer);
        var doomed = TestSpecs.Small("doomed", [0.1, 0.01], epochs: 70) with { CheckpointEvery = 10 };   // two curve chunks a cell
        var kept = TestSpecs.Small("kept", [0.1], epochs: 20);
        await cluster.Sweep("doomed").SubmitAsync(doomed);
        await cluster.Sweep("kept").SubmitAsync(kept);
        await cluster.WaitForFinishAsync("doomed", TimeSpan.FromSeconds(60));
        await cluster.WaitForFinishAsync("kept", TimeSpan.FromSeconds(60));
        var keptFiles = FilesOf(cluster, "kept");
        var keptCurves = await cluster.Sweep("kept").GetCurvesAsync(null);
        Assert.NotEmpty(FilesOf(cluster, "doomed"));

        // Completed once every record is stored; its last pack may still be reporting its end (Stopping), as `delete` waits.
        var deletion = await DeleteWhenStoppedAsync(cluster.Sweep("doomed"));

        Assert.Equal(new SweepDeletion(SweepDeletionOutcome.Deleted, Cells: 2, CurveChunks: 4, CheckpointFiles: 2), deletion);
        Assert.Empty(FilesOf(cluster, "doomed"));
        Assert.Empty(Directory.GetDirectories(cluster.StateDirectory, "doomed", SearchOption.AllDirectories));   // nor empty ones
        Assert.False(Directory.Exists(Path.Combine(cluster.CheckpointDirectory, "doomed")));
        Assert.Null(await cluster.Sweep("doomed").GetStatusAsync());
        Assert.Equal(["kept"], (await cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Select(s => s.Name));
        Assert.Equal(keptFiles, FilesOf(cluster, "kept"));
        AssertSameCurves(keptCurves, await cluster.Sweep("kept").GetCurvesAsync(null));
        Assert.Equal(SweepDeletionOutcome.NotFound, (await cluster.Sweep("doomed").DeleteAsync(false)).Outcome);

        // The same name with a different spec: a new sweep, trained from epoch 0 (no old checkpoint or curve resumed).
        var again = TestSpecs.Small("doomed", [0.1, 0.01], epochs: 5);
        Assert.True((await cluster.Sweep("doomed").SubmitAsync(again)).Created);
        var status = await cluster.WaitForFinishAsync("doomed", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, status.State);
        Curves.AssertUninterrupted(await cluster.Sweep("doomed").GetCurvesAsync(null), again, Trainer);
    }

    [Fact]
    public async Task Delete_OfARunningSweep_IsRefusedAndChangesNothing_UntilItIsCancelled()
    {
        var gate = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        gate.HoldAfter(EpochGate.AnySilo, 4);   // running for certain when the delete comes
        var sweep = cluster.Sweep("busy");
        await sweep.SubmitAsync(TestSpecs.Small("busy", [0.1, 0.01], epochs: 40) with { CheckpointEvery = 2 });
        await cluster.WaitForAsync("busy", s => s.Cells.Max(c => c.Epoch) >= 4, TimeSpan.FromSeconds(30), "did not get going");
        // Held, not just past epoch 4 in status: its checkpoint of epoch 4 is written after the report that status shows.
        await gate.WaitHeldAsync("the pack was not held at epoch 4");
        var files = FilesOf(cluster, "busy");

        Assert.Equal(SweepDeletionOutcome.Running, (await sweep.DeleteAsync(evenIfRunning: false)).Outcome);
        Assert.Equal(files, FilesOf(cluster, "busy"));
        Assert.Equal(SweepState.Running, (await sweep.GetStatusAsync())!.State);

        await sweep.CancelAsync();
        gate.Release();
        Assert.Equal(SweepDeletionOutcome.Deleted, (await DeleteWhenStoppedAsync(sweep)).Outcome);
        await Task.Delay(1000);   // a pack still writing after the delete would leave files behind
        Assert.Empty(FilesOf(cluster, "busy"));
        Assert.False(Directory.Exists(Path.Combine(cluster.CheckpointDirectory, "busy")));
    }

    [Fact]
    public async Task InterruptedDelete_RefusesSubmitResumeCurvesAndResults_AndDeletingAgainFinishesIt()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => Trainer);
        var spec = TestSpecs.Small("halfway", [0.1, 0.01], epochs: 6);
        var sweep = cluster.Sweep("halfway");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForFinishAsync("halfway", TimeSpan.FromSeconds(60));
        // A damaged curve chunk stops the delete after it has begun (pack states go first).
        var chunk = Directory.GetFiles(Path.Combine(cluster.StateDirectory, "gg-curve", "halfway"), "*.curve.state", SearchOption.AllDirectories)[0];
        await File.WriteAllTextAsync(chunk, "not a state file");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DeleteWhenStoppedAsync(sweep));
        Assert.IsType<StateFileCorruptException>(Failures.Cause(failure));
        Assert.Contains(chunk, failure.Message);
        Assert.StartsWith("a delete of this sweep stopped halfway", (await sweep.GetStatusAsync())!.Problem);
        // Its alert's gauge too, at once: the watchdog that refreshed it stopped when the delete began.
        var gauge = GaugeReadings.Read<int>(MetricNames.SweepProblem).Single(r => Equals(r.Tags["sweep"], "halfway"));
        Assert.Equal((1, "half_deleted"), (gauge.Value, gauge.Tags["kind"]));
        var refusedSubmit = await Assert.ThrowsAnyAsync<Exception>(() => sweep.SubmitAsync(spec));
        Assert.Contains("is being deleted", refusedSubmit.Message);
        var refusedResume = await Assert.ThrowsAnyAsync<Exception>(() => sweep.ResumeAsync());
        Assert.Contains("is being deleted", refusedResume.Message);
        Assert.IsType<SweepDeletingException>(Failures.Cause(refusedResume));   // a client tells it apart by its type
        // Its curves and results are refused too: some of its files are gone, and each would read as a missing chunk.
        var refusedCurves = await Assert.ThrowsAnyAsync<Exception>(() => sweep.GetCurvesAsync(null));
        Assert.Contains("is being deleted", refusedCurves.Message);
        var refusedResults = await Assert.ThrowsAnyAsync<Exception>(() => sweep.GetResultsAsync(null));
        Assert.Contains("run `gradguess delete halfway` again", refusedResults.Message);

        File.Move(chunk, Path.Combine(cluster.Directory, "moved-away.curve.state"));
        var deletion = await sweep.DeleteAsync(false);
        Assert.Equal(SweepDeletionOutcome.Deleted, deletion.Outcome);
        Assert.Empty(FilesOf(cluster, "halfway"));
        Assert.True((await sweep.SubmitAsync(spec)).Created);
    }

    [Fact]
    public async Task Delete_StoppedByAStorageFailure_SaysItStoppedHalfwayAndHowToFinish()
    {
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => Trainer);
        var sweep = cluster.Sweep("blocked");
        await sweep.SubmitAsync(TestSpecs.Small("blocked", [0.1], epochs: 4));
        await cluster.WaitForFinishAsync("blocked", TimeSpan.FromSeconds(60));
        // A directory where a curve chunk's file should be: the store cannot read it (not a damaged file: an I/O error).
        var chunk = Directory.GetFiles(Path.Combine(cluster.StateDirectory, "gg-curve", "blocked"), "*.curve.state", SearchOption.AllDirectories)[0];
        File.Delete(chunk);
        Directory.CreateDirectory(chunk);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DeleteWhenStoppedAsync(sweep));
        Assert.StartsWith("the delete of sweep 'blocked' stopped halfway: ", failure.Message);
        Assert.Contains("run `gradguess delete blocked` again", failure.Message);

        Directory.Delete(chunk);
        Assert.Equal(SweepDeletionOutcome.Deleted, (await sweep.DeleteAsync(false)).Outcome);
        Assert.Empty(FilesOf(cluster, "blocked"));
    }

    [Fact]
    public async Task ANewSweepOfADeletedName_TakesNothingFromAPackOfTheOldOneThatWroteOrReportedAfterTheDelete()
    {
        var gate = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var spec = TestSpecs.Small("reused", [0.1], epochs: 12) with { CheckpointEvery = 2 };
        var sweep = cluster.Sweep("reused");
        var packStates = Path.Combine(cluster.StateDirectory, TrainingCellGrain.GrainTypeName, "reused");
        var checkpoints = Path.Combine(cluster.CheckpointDirectory, "reused");
        gate.HoldAfter(EpochGate.AnySilo, 6);
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack was not held at epoch 6");
        var oldRecord = (await sweep.GetCurvesAsync(null)).Single().Records.Single(r => r.Epoch == 6);
        await sweep.CancelAsync();
        gate.Release();
        await Until(() => Directory.Exists(packStates) && Directory.EnumerateFiles(packStates, "*.state", SearchOption.AllDirectories).Any(),
            "the cancelled pack wrote no state");

        // What a pack of this sweep still stopping on another silo (one its coordinator lost track of) would write after
        // the delete: its state (stopped at epoch 6, with the old work) and its checkpoint of epoch 6.
        var stray = Path.Combine(cluster.Directory, "stray");
        CopyDirectory(packStates, Path.Combine(stray, "states"));
        CopyDirectory(checkpoints, Path.Combine(stray, "checkpoints"));
        Assert.Equal(SweepDeletionOutcome.Deleted, (await DeleteWhenStoppedAsync(sweep)).Outcome);
        CopyDirectory(Path.Combine(stray, "states"), packStates);
        CopyDirectory(Path.Combine(stray, "checkpoints"), checkpoints);
        var oldCheckpoint = Assert.Single(Directory.GetFiles(checkpoints, "*.ckpt"));

        gate.HoldAfter(EpochGate.AnySilo, 2);
        Assert.True((await sweep.SubmitAsync(spec)).Created);
        await gate.WaitHeldAsync("the new sweep's pack was not held at epoch 2");
        // ...and that stray pack's report of its epoch 6, under the same pack id.
        var packId = (await sweep.GetStatusAsync())!.Cells.Single().PackId;
        var oldIncarnation = Path.GetFileName(oldCheckpoint).Split('.')[1];
        Assert.True((await sweep.ReportEpochsAsync(packId, oldIncarnation, [oldRecord])).Stop, "the stray pack was not told to stop");
        gate.Release();

        var status = await cluster.WaitForFinishAsync("reused", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, status.State);
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);   // from epoch 1, no record of the old run
        var checkpoint = Assert.Single(Directory.GetFiles(checkpoints, "*.ckpt"));   // the stray's checkpoint is gone
        Assert.NotEqual(oldIncarnation, Path.GetFileName(checkpoint).Split('.')[1]);
    }

    [Fact]
    public async Task APackThatEndsAfterItsSweepWasDeleted_RemovesTheCheckpointAndStateItWroteMeanwhile()
    {
        var gate = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(5));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var sweep = cluster.Sweep("gone");
        // Stalled at epoch 4, deaf to the cancel: its coordinator stops waiting for it after a few watchdog intervals.
        gate.HoldAfter(EpochGate.AnySilo, 4, deaf: true);
        await sweep.SubmitAsync(TestSpecs.Small("gone", [0.1], epochs: 40) with { CheckpointEvery = 10 });
        await gate.WaitHeldAsync("the pack was not held at epoch 4");
        var pack = cluster.Client.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For("gone", (await sweep.GetStatusAsync())!.Cells.Single().PackId));
        await sweep.CancelAsync();
        Assert.Equal(SweepDeletionOutcome.Deleted, (await DeleteWhenStoppedAsync(sweep)).Outcome);
        Assert.Empty(FilesOf(cluster, "gone"));

        // Released, it stops as cancelled: a checkpoint of epoch 4 where it stands (none was written before), its state,
        // and its end, which the coordinator answers as a deleted sweep's. Nothing of it may stay.
        gate.Release();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await pack.GetProgressAsync()).State == PackRunState.Running; await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "the released pack did not stop");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); FilesOf(cluster, "gone").Length > 0; await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "the deleted sweep's pack left files behind: " + string.Join(", ", FilesOf(cluster, "gone")));
        await Task.Delay(500);   // nor writes any after
        Assert.Empty(FilesOf(cluster, "gone"));
        Assert.False(Directory.Exists(Path.Combine(cluster.CheckpointDirectory, "gone")));
        Assert.Null(await sweep.GetStatusAsync());
    }

    private static async Task Until(Func<bool> condition, string failure)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition(); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, failure);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            // A write in flight (written beside its file, then renamed over it; never read): copied, it raced the rename.
            if (file.EndsWith(".tmp", StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Every state and checkpoint file whose path names the sweep, relative to the cluster's directory.</summary>
    private static string[] FilesOf(SweepCluster cluster, string sweep)
    {
        var segment = Path.DirectorySeparatorChar + sweep;
        return Directory.GetFiles(cluster.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(cluster.Directory, f))
            // Not a write in flight (a state or checkpoint file's temporary, renamed over it when done): a listing taken
            // while a finished sweep's last write landed held one that the next listing no longer had.
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Where(f => (Path.DirectorySeparatorChar + f).Contains(segment + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        || (Path.DirectorySeparatorChar + f).Contains(segment + ".", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
    }

    private static void AssertSameCurves(IReadOnlyList<CellCurve> expected, IReadOnlyList<CellCurve> actual)
    {
        Assert.Equal(expected.Select(c => c.CellId), actual.Select(c => c.CellId));
        foreach (var (e, a) in expected.Zip(actual)) Curves.AssertIdentical(e.Records, a.Records, e.CellId);
    }

    /// <summary>Deletes once the sweep's packs have stopped, as <c>gradguess delete</c> waits for them: a pack still
    /// stopping (or reporting its end) makes the coordinator answer Stopping.</summary>
    private static async Task<SweepDeletion> DeleteWhenStoppedAsync(ISweepCoordinatorGrain sweep)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        SweepDeletion deletion;
        while ((deletion = await sweep.DeleteAsync(false)).Outcome == SweepDeletionOutcome.Stopping)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep's packs never stopped");
            await Task.Delay(100);
        }
        return deletion;
    }
}
