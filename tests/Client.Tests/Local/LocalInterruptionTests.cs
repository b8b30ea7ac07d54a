using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>
/// Acceptance: killing <c>gradguess local</c> (SIGKILL) mid-sweep and running the same command again finishes the sweep
/// with curves identical to an uninterrupted run; Ctrl-C or SIGTERM checkpoints and exits with 1. Real processes, real training.
/// One CPU slot each: the moments drawn for the interruptions are fractions of a run that trains one pack at a time.
/// The uninterrupted run is one for the class (<see cref="UninterruptedRunFixture"/>).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LocalInterruptionTests : IDisposable, IClassFixture<UninterruptedRunFixture>
{
    private const int Epochs = UninterruptedRunFixture.Epochs;
    private readonly UninterruptedRunFixture _uninterrupted;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-kill-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalInterruptionTests(UninterruptedRunFixture uninterrupted)
    {
        _uninterrupted = uninterrupted;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Local_SigkillMidSweepThenRerun_FinishesWithCurvesIdenticalToAnUninterruptedRun_AndARacingRunIsRefused()
    {
        var spec = UninterruptedRunFixture.WriteSpec(_dir, "killed", checkpointEvery: 5);
        var killed = Path.Combine(_dir, "killed");
        var port = FreePorts.Next();
        _uninterrupted.Ensure();

        using (var run = new LocalProcess("local", spec, "--cpu-slots", "1", "--state-dir", killed, "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            // Scraped once an epoch is stored (its counter is added before its report), not after the checkpoint below:
            // a scrape of a loaded process can take long enough for the first pack to finish meanwhile.
            await WaitForStoredEpochAsync(run, killed);
            var metrics = await new HttpClient().GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("gradguess_epochs_completed", metrics);
            Assert.Contains("orleans_", metrics);
            await WaitForCheckpointAsync(killed);
            // Frozen from here to the kill, with a cell part-way: the checks below take seconds, and under load the first
            // pack used to finish all its epochs meanwhile, or the freeze to land just as it ended (a CI run saw
            // "Running@24, Queued@0, ..."). A stopped process still holds its lock.
            await FreezeMidPackAsync(run, killed);
            // A second run on the same directory would train the same packs over the same files: refused, and said so
            // even on the same metrics port (as two runs with the default port are).
            var racing = CliRunner.Run("local", spec, "--cpu-slots", "1", "--state-dir", killed, "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(2, racing.ExitCode);
            Assert.Contains("is in use by another gradguess local or silo", Assert.Single(racing.StderrLines));
            // Offline readers see that a host holds it (so they do not call its running sweep paused). Asked directly:
            // a status process would take seconds.
            Assert.True(StateDirectoryLock.IsHeld(killed));
            run.Kill();                                          // and the killed run's lock dies with it (the rerun below)
            run.WaitForExit(TimeSpan.FromSeconds(30));
        }
        await AssertUnfinishedAsync(killed, "killed", requireCheckpoint: false);
        foreach (var verb in new[] { "status", "results" })
        {
            var offline = CliRunner.Run(verb, "killed", "--state-dir", killed);
            Assert.True(offline.ExitCode == 0, offline.Stderr);
            Assert.Contains("a sweep shown as running is paused", offline.Stderr);   // nobody holds it: not training
        }
        var rerun = CliRunner.Run("local", spec, "--cpu-slots", "1", "--state-dir", killed, "--metrics-port", "0");

        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("resuming", rerun.Stderr);
        await AssertSameCurvesAsync(killed, "killed");
    }

    /// <summary>SIGKILL at random moments, again and again (at start-up, mid-epoch, mid-checkpoint, mid-write of the
    /// state: with a checkpoint every epoch, writes are always under way), each run resuming what the last left.</summary>
    [Theory]
    [InlineData(1)]
    public async Task Local_KilledAtRandomMomentsRepeatedly_FinishesWithTheUninterruptedCurves(int seed)
    {
        var random = new Random(seed);
        var spec = UninterruptedRunFixture.WriteSpec(_dir, "battered", checkpointEvery: 1);
        var battered = Path.Combine(_dir, "battered");
        var whole = _uninterrupted.Ensure();

        var kills = new List<string>();
        var killedAfterProgress = 0;
        for (var round = 0; round < 4; round++)
        {
            long stored = StoredCurveBytes(battered);
            using var run = new LocalProcess("local", spec, "--cpu-slots", "1", "--state-dir", battered, "--metrics-port", "0");
            TimeSpan after;
            if (round == 0)   // anywhere in the first two thirds of an uninterrupted run's time, start-up included
                await Task.Delay(after = TimeSpan.FromMilliseconds(random.Next(300, (int)(whole.TotalMilliseconds * 2 / 3))));
            else              // once this run has stored epochs of its own, a little later: each resumes what the last left
            {
                var clockRound = System.Diagnostics.Stopwatch.StartNew();
                while (StoredCurveBytes(battered) <= stored && !run.HasExited && clockRound.Elapsed < TimeSpan.FromSeconds(90))
                    await Task.Delay(20);
                await Task.Delay(random.Next(0, 400));
                after = clockRound.Elapsed;
            }
            if (run.HasExited) break;                                               // it finished first: nothing to kill
            run.Kill();
            run.WaitForExit(TimeSpan.FromSeconds(30));
            if (StoredCurveBytes(battered) > stored) killedAfterProgress++;
            kills.Add($"{after.TotalSeconds:F1} s");
        }
        // The rounds really trained between kills (not all killed at start-up), each going on from what the last stored.
        Assert.True(killedAfterProgress >= 2, $"only {killedAfterProgress} killed run(s) stored epochs; killed after {string.Join(", ", kills)}");
        var rerun = CliRunner.Run("local", spec, "--cpu-slots", "1", "--state-dir", battered, "--metrics-port", "0");

        Assert.True(rerun.ExitCode == 0, $"killed after {string.Join(", ", kills)}: {rerun.Stderr}");
        await AssertSameCurvesAsync(battered, "battered");
    }

    [Theory]
    [InlineData("INT")]    // Ctrl-C
    [InlineData("TERM")]   // kill PID
    public async Task Local_CtrlCOrSigtermMidSweep_CheckpointsExitsOneAndRerunMatches(string signal)
    {
        var spec = UninterruptedRunFixture.WriteSpec(_dir, "interrupted", checkpointEvery: 100);   // only the signal (and a pack's end) checkpoints
        var interrupted = Path.Combine(_dir, "interrupted");
        _uninterrupted.Ensure();

        using (var run = new LocalProcess("local", spec, "--cpu-slots", "1", "--state-dir", interrupted, "--metrics-port", "0"))
        {
            await WaitForStoredEpochAsync(run, interrupted);
            run.Signal(signal);
            int exit = run.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(exit == 1, $"exit code {exit}, expected 1; stderr:\n{run.Stderr}\nstdout:\n{run.Stdout}");
            // The user's interrupt, said as such (not as a request the cluster cancelled).
            Assert.Contains("gradguess: cancelled", run.Stderr.Split('\n').Select(l => l.TrimEnd()));
            Assert.Contains($"running the same command again resumes the sweep from its checkpoints in {interrupted}", run.Stderr);
        }
        await AssertUnfinishedAsync(interrupted, "interrupted", requireCheckpoint: true);
        var rerun = CliRunner.Run("local", spec, "--cpu-slots", "1", "--state-dir", interrupted, "--metrics-port", "0");

        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        await AssertSameCurvesAsync(interrupted, "interrupted");
    }

    private static async Task WaitForCheckpointAsync(string stateDir)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!Directory.Exists(Path.Combine(stateDir, "checkpoints"))
               || Directory.GetFiles(Path.Combine(stateDir, "checkpoints"), "*.ckpt", SearchOption.AllDirectories).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint appeared");
            await Task.Delay(50);
        }
        await Task.Delay(300);   // a few epochs past the checkpoint, so the rerun re-runs (and must not duplicate) them
    }

    /// <summary>Until some cell has an epoch on disk (a curve chunk in the file store). A fixed pause after the first
    /// "started" line was not enough on a loaded CI machine: a pack's start-up can outlast it.</summary>
    private static async Task WaitForStoredEpochAsync(LocalProcess run, string stateDir)
    {
        var curves = Path.Combine(stateDir, "state", "gg-curve");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!Directory.Exists(curves) || !Directory.EnumerateFiles(curves, "*", SearchOption.AllDirectories).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "no epoch was stored: " + run.Stderr);
            await Task.Delay(50);
        }
    }

    /// <summary>Bytes of stored curve chunks: grows as the sweep's epochs are stored (files being renamed meanwhile are skipped).</summary>
    private static long StoredCurveBytes(string stateDir)
    {
        var curves = Path.Combine(stateDir, "state", "gg-curve");
        if (!Directory.Exists(curves)) return 0;
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(curves, "*", SearchOption.AllDirectories))
        {
            try { total += new FileInfo(file).Length; }
            catch (FileNotFoundException) { }
        }
        return total;
    }

    /// <summary>The curves of <paramref name="sweep"/> in <paramref name="otherDir"/> are the uninterrupted run's, cell for
    /// cell and bit for bit.</summary>
    private async Task AssertSameCurvesAsync(string otherDir, string sweep)
    {
        var expected = await ReadCurvesAsync(_uninterrupted.StateDir, UninterruptedRunFixture.Sweep);
        var actual = await ReadCurvesAsync(otherDir, sweep);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (cell, records) in expected)
        {
            var other = actual[cell];
            Assert.True(records.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, Epochs)), $"reference {cell} is not 1..{Epochs}");
            Assert.True(other.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, Epochs)),
                $"cell {cell}: epochs {string.Join(",", other.Select(r => r.Epoch))}");
            for (var i = 0; i < records.Count; i++)
            {
                Assert.True(Same(records[i].TrainLoss, other[i].TrainLoss), $"cell {cell} epoch {i + 1}: loss {other[i].TrainLoss} != {records[i].TrainLoss}");
                Assert.True(Same(records[i].TrainAccuracy, other[i].TrainAccuracy), $"cell {cell} epoch {i + 1}: train accuracy differs");
                Assert.True(Same(records[i].TestAccuracy, other[i].TestAccuracy), $"cell {cell} epoch {i + 1}: test accuracy differs");
            }
        }
    }

    /// <summary>Stops <paramref name="run"/> (SIGSTOP) at a moment when its stored state has a cell part-way, letting it go
    /// on a little between looks (an offline reader reads the directory it holds).</summary>
    private static async Task FreezeMidPackAsync(LocalProcess run, string stateDir)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(90); ; await Task.Delay(100))
        {
            run.Signal("STOP");
            var (partial, cells) = await PartialCellsAsync(stateDir, "killed");
            if (partial.Count > 0) return;
            Assert.True(DateTime.UtcNow < deadline, "no moment with a cell part-way: " + cells);
            run.Signal("CONT");
        }
    }

    /// <summary>The interruption really happened mid-sweep: some cell stopped part-way (with its checkpoint, if asked).</summary>
    private static async Task AssertUnfinishedAsync(string stateDir, string sweep, bool requireCheckpoint)
    {
        var (partial, cells) = await PartialCellsAsync(stateDir, sweep);
        Assert.True(partial.Count > 0, "no cell was interrupted part-way: " + cells);
        if (requireCheckpoint)
            Assert.Contains(partial, c => Directory.GetFiles(Path.Combine(stateDir, "checkpoints", sweep), c.PackId + ".*.ckpt").Length == 1);
    }

    /// <summary>The cells stored part-way, and every cell as "State@epoch" for a message.</summary>
    private static async Task<(List<CellStatus> Partial, string Cells)> PartialCellsAsync(string stateDir, string sweep)
    {
        await using var host = await LocalSweepHost.StartReadOnlyAsync(stateDir, CancellationToken.None);
        var status = (await host.Grains.GetGrain<ISweepCoordinatorGrain>(sweep).GetStatusAsync())!;
        return (status.Cells.Where(c => c.Epoch is > 0 and < Epochs).ToList(), string.Join(", ", status.Cells.Select(c => $"{c.State}@{c.Epoch}")));
    }

    private static bool Same(double? a, double? b) =>
        a is null ? b is null : b is not null && BitConverter.DoubleToInt64Bits(a.Value) == BitConverter.DoubleToInt64Bits(b.Value);

    private static async Task<Dictionary<string, IReadOnlyList<EpochRecord>>> ReadCurvesAsync(string stateDir, string sweep)
    {
        await using var host = await LocalSweepHost.StartReadOnlyAsync(stateDir, CancellationToken.None);
        var curves = await host.Grains.GetGrain<ISweepCoordinatorGrain>(sweep).GetCurvesAsync(null);
        Assert.All(curves, c => Assert.Equal(CellState.Completed, c.State));
        return curves.ToDictionary(c => c.CellId, c => c.Records);
    }
}
