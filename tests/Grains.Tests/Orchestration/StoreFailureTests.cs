using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A pack stops while its coordinator cannot store its epochs: it checkpoints anyway, with the unstored records
/// beside the checkpoint, and the resumed pack reports them first, so the curve has no gap. Meanwhile status shows the
/// last stored epoch.</summary>
public sealed class StoreFailureTests
{
    [Fact]
    public async Task Pack_StoppedWhileItsEpochsCannotBeStored_KeepsThemBesideItsCheckpointAndReportsThemOnResume()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var spec = TestSpecs.Small("unstorable", [0.1], epochs: 200) with { CheckpointEvery = 200 };
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var silo = cluster.Cluster.Silos.Single().Name;
        // Held after epoch 3 while the store breaks, then after epoch 5 while it is suspended: both land mid-pack, and
        // epochs 4 and 5 are reported to the broken store, however slow the machine.
        gate.HoldAfter(silo, 3);
        var sweep = cluster.Sweep("unstorable");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForAsync("unstorable", s => s.Cells.Single().Epoch >= 3, TimeSpan.FromSeconds(30), "did not get going");
        await gate.WaitHeldAsync("the pack never reached its hold");
        var grain = await PackGrainAsync(cluster, "unstorable");

        var restoreCurves = await BreakCurvesAsync(cluster, "unstorable");
        gate.HoldAfter(silo, 5);
        await EpochsPastAsync(grain, 5);                         // epochs whose reports fail
        await gate.WaitHeldAsync("the pack never reached its hold");
        await sweep.SuspendAsync();

        var packDirectory = Path.Combine(cluster.CheckpointDirectory, "unstorable");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.Exists(packDirectory) || Directory.GetFiles(packDirectory, "*.ckpt").Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stopped pack wrote no checkpoint");
            await Task.Delay(50);
        }
        var unstored = Assert.Single(Directory.GetFiles(packDirectory, "*.unstored.json"));
        var checkpointEpoch = int.Parse(File.ReadAllLines(Directory.GetFiles(packDirectory, "*.ckpt").Single())[2],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"\"Epoch\":{checkpointEpoch},", await File.ReadAllTextAsync(unstored));

        restoreCurves();
        gate.Release();
        await sweep.ResumeAsync();
        var status = await cluster.WaitForFinishAsync("unstorable", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, status.State);
        var curve = (await sweep.GetCurvesAsync(null)).Single();
        Curves.AssertUninterrupted(curve, spec, trainer);
        Assert.False(File.Exists(unstored), "the carried records were reported, so their file should be gone");
    }

    [Fact]
    public async Task Pack_WhoseCoordinatorKeepsFailingToStore_CheckpointsWithTheRecordsBesideIt_AndTrainsOn()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var gate = new EpochGate();
        var spec = TestSpecs.Small("stubborn", [0.1], epochs: 160) with { CheckpointEvery = 4 };
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer),
            configure: o => o.ReportFlushTimeout = TimeSpan.FromMilliseconds(300));
        var silo = cluster.Cluster.Silos.Single().Name;
        // Held after epoch 2 while the store breaks, so that it breaks mid-pack however slow the machine; then after
        // epoch 5, past the checkpoint at 4 that cannot store its records, while the store is repaired.
        gate.HoldAfter(silo, 2);
        var sweep = cluster.Sweep("stubborn");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForAsync("stubborn", s => s.Cells.Single().Epoch >= 2, TimeSpan.FromSeconds(30), "did not get going");
        await gate.WaitHeldAsync("the pack never reached its hold");
        var pack = (await sweep.GetStatusAsync())!.Cells.Single().PackId;
        var grain = await PackGrainAsync(cluster, "stubborn");

        var restoreCurves = await BreakCurvesAsync(cluster, "stubborn");   // the coordinator stays up, but cannot store them
        gate.HoldAfter(silo, 5);
        var packDirectory = Path.Combine(cluster.CheckpointDirectory, "stubborn");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.Exists(packDirectory) || Directory.GetFiles(packDirectory, pack + ".*.unstored.json").Length == 0)   // PACK.INCARNATION
        {
            Assert.True(DateTime.UtcNow < deadline, "the pack kept retrying at its checkpoint instead of saving its records beside it");
            await Task.Delay(50);
        }
        await EpochsPastAsync(grain, 5);                         // it trains on past that checkpoint

        // Repair the store while the pack is quiet: a report landing between removing the blocking file and moving the
        // directory back would start a fresh curve directory there (a file system can't swap the two atomically). A
        // held pack is between epochs, its reports (and their retries) done.
        await gate.WaitHeldAsync("the pack never reached its hold");
        // A file where its chunk's directory belongs fails the curve's reads too (read as empty, the records after it
        // would be refused as a gap), and status says which.
        var problem = (await sweep.GetStatusAsync())!.Problem;
        Assert.StartsWith("epoch records cannot be stored (cannot read state file", problem);
        Assert.Contains("is a file, not a directory", problem);
        restoreCurves();
        gate.Release();
        var status = await cluster.WaitForFinishAsync("stubborn", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Null(status.Problem);
        var curve = (await sweep.GetCurvesAsync(null)).Single();
        Curves.AssertUninterrupted(curve, spec, trainer);
    }

    [Fact]
    public async Task Status_WhileTheCurveStoreCannotBeRead_KeepsTheLastStoredEpoch()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("unreadable", [0.1], epochs: 40) with { CheckpointEvery = 40 };
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var silo = cluster.Cluster.Silos.Single().Name;
        gate.HoldAfter(silo, 3);
        var sweep = cluster.Sweep("unreadable");
        await sweep.SubmitAsync(spec);
        await cluster.WaitForAsync("unreadable", s => s.Cells.Single().Epoch >= 3, TimeSpan.FromSeconds(30), "did not get going");
        await gate.WaitHeldAsync("the pack never reached its hold");
        var grain = await PackGrainAsync(cluster, "unreadable");

        // The cell's curve chunk becomes unreadable and unwritable (a directory where its file was): a store that fails
        // every call, as Redis does while it restarts. The coordinator drops its cached chunk at the first failure.
        var restoreChunk = BreakChunk(cluster, "unreadable", (await sweep.GetStatusAsync())!.Cells.Single().CellId);
        gate.HoldAfter(silo, 5);
        await EpochsPastAsync(grain, 5);                         // epochs 4 and 5, whose reports fail
        await gate.WaitHeldAsync("the pack never reached its hold");

        // Status says where the stored curve ends. It said 0 here (the ledger's copy, written at the pack's start), and
        // a Redis restart showed a running sweep at 0 % for seconds.
        var broken = (await sweep.GetStatusAsync())!;
        Assert.Equal(3, broken.Cells.Single().Epoch);
        // And why it stands still: before, nothing said so (a full disk looked like a stalled sweep).
        Assert.StartsWith("epoch records cannot be stored (", broken.Problem);
        Assert.Contains(broken.Cells.Single().CellId, broken.Problem);
        Assert.Null(broken.SecondsLeft);   // no pace to promise an end with while nothing is stored

        restoreChunk();
        gate.Release();
        var status = await cluster.WaitForFinishAsync("unreadable", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, status.State);
        Assert.Null(status.Problem);
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
    }

    [Fact]
    public async Task Status_WhileTheLedgerCannotBeWritten_SaysSo_AndNoLongerOnceItCan()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("unwritable", [0.1], epochs: 40) with { CheckpointEvery = 40 };
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        var silo = cluster.Cluster.Silos.Single().Name;
        gate.HoldAfter(silo, 3);
        var sweep = cluster.Sweep("unwritable");
        await sweep.SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack never reached its hold");

        // A directory where the ledger file was, so that every write of it fails (an ETag check that finds no file would
        // be a conflict instead), moved in while the pack is held and nothing writes: the watchdog's writes of the
        // epochs stored from now on fail, as on a full disk.
        var ledger = Path.Combine(cluster.StateDirectory, "gg-sweep", "unwritable.sweep.state");
        // The watchdog's write of the held pack's epochs may land between the two steps (a new file where the directory
        // goes): then that newer ledger is the one to set aside.
        for (var attempt = 1; ; attempt++)
        {
            File.Move(ledger, ledger + ".aside", overwrite: true);
            try
            {
                Directory.CreateDirectory(ledger);
                break;
            }
            catch (IOException) when (File.Exists(ledger) && attempt < 10) { }
        }
        gate.HoldAfter(silo, 6);
        var broken = await cluster.WaitForAsync("unwritable", s => s.Problem is not null, TimeSpan.FromSeconds(30), "no problem shown");
        Assert.StartsWith("the sweep's ledger cannot be written (", broken.Problem);
        Assert.EndsWith("; retrying", broken.Problem);
        Assert.Null(broken.SecondsLeft);
        // And the gauge an alert reads (refreshed on the watchdog's tick).
        await WaitForProblemGaugeAsync("unwritable", (1, "ledger_write"));

        Directory.Delete(ledger);
        File.Move(ledger + ".aside", ledger);
        await cluster.WaitForAsync("unwritable", s => s.Problem is null, TimeSpan.FromSeconds(30), "the problem stayed after the repair");
        await WaitForProblemGaugeAsync("unwritable", (0, "none"));
        gate.Release();
        var status = await cluster.WaitForFinishAsync("unwritable", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, status.State);
        Curves.AssertUninterrupted(await sweep.GetCurvesAsync(null), spec, trainer);
    }

    [Fact]
    public async Task StoredLedger_FollowsARunningCellsEpochs_WithinAWatchdogTick()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(30));
        var spec = TestSpecs.Small("ledger-epochs", [0.1], epochs: 40) with { CheckpointEvery = 40 };
        var gate = new EpochGate();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, trainer));
        gate.HoldAfter(cluster.Cluster.Silos.Single().Name, 7);
        await cluster.Sweep("ledger-epochs").SubmitAsync(spec);
        await gate.WaitHeldAsync("the pack never reached its hold");
        await cluster.WaitForAsync("ledger-epochs", s => s.Cells.Single().Epoch == 7, TimeSpan.FromSeconds(30), "epoch 7 not stored");

        // What a coordinator activated again would start from. It read 0 (the copy written when the pack started) until
        // the cell's next state change; the watchdog ticks every 0.5 s here.
        await cluster.WaitForStoredEpochAsync("ledger-epochs", 7, TimeSpan.FromSeconds(10));
        Assert.Equal(CellState.Running, (await cluster.Sweep("ledger-epochs").GetStatusAsync())!.Cells.Single().State);
        gate.Release();
        await cluster.WaitForFinishAsync("ledger-epochs", TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits up to 10 s for the sweep's problem gauge to read <paramref name="expected"/> (value, kind).</summary>
    private static async Task WaitForProblemGaugeAsync(string sweep, (int Value, string Kind) expected)
    {
        List<(int, string)> read = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            read = GaugeReadings.Read<int>(MetricNames.SweepProblem).Where(r => Equals(r.Tags["sweep"], sweep))
                .Select(r => (r.Value, (string)r.Tags["kind"]!)).ToList();
            if (read.SequenceEqual([expected])) return;
        }
        Assert.Fail($"problem gauge of {sweep}: {string.Join(", ", read)}, expected {expected}");
    }

    /// <summary>The one cell's LastEpoch in a ledger file (JSON after a header line); the serializer leaves out a 0.</summary>
    /// <summary>Makes a sweep's curve chunks unwritable (a file where their directory was); returns the undo.</summary>
    private static async Task<Action> BreakCurvesAsync(SweepCluster cluster, string sweep)
    {
        var curves = Path.Combine(cluster.StateDirectory, "gg-curve", sweep);
        var aside = curves + ".aside";
        Directory.Move(curves, aside);
        await File.WriteAllTextAsync(curves, "not a directory");
        return () =>
        {
            File.Delete(curves);
            Directory.Move(aside, curves);
        };
    }

    /// <summary>Makes a cell's only curve chunk unreadable and unwritable (a directory where its file was), so every
    /// read and write of it fails; returns the undo.</summary>
    private static Action BreakChunk(SweepCluster cluster, string sweep, string cell)
    {
        var chunk = Directory.GetFiles(Path.Combine(cluster.StateDirectory, "gg-curve", sweep, cell)).Single();
        File.Move(chunk, chunk + ".aside");
        Directory.CreateDirectory(chunk);
        return () =>
        {
            Directory.Delete(chunk);
            File.Move(chunk + ".aside", chunk);
        };
    }

    private static async Task<ITrainingCellGrain> PackGrainAsync(SweepCluster cluster, string sweep)
    {
        var pack = (await cluster.Sweep(sweep).GetStatusAsync())!.Cells.Single().PackId;
        return cluster.Client.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For(sweep, pack));
    }

    /// <summary>Waits until the pack has trained <paramref name="epochs"/> epochs (fails after 30 s).</summary>
    private static async Task EpochsPastAsync(ITrainingCellGrain grain, int epochs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await grain.GetProgressAsync()).EpochsCompleted < epochs)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the pack did not reach epoch {epochs} while its coordinator failed");
            await Task.Delay(20);
        }
    }
}
