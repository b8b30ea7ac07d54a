using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>Submitting: idempotent, race-free, refusing a changed spec, validating on the server side too.</summary>
public sealed class SubmitTests : IAsyncLifetime
{
    private SweepCluster _cluster = null!;
    private readonly EpochGate _gate = new();   // lets a test hold packs mid-curve; holds nothing unless asked
    private readonly NoOpPackTrainerFactory _trainer = new(TimeSpan.FromMilliseconds(20));   // its curves: Curves.AssertUninterrupted

    public async Task InitializeAsync() =>
        _cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2), SiloSpec.Cpu(2)], s => _gate.For(s, _trainer));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Submit_SameSpecTwice_CreatesOnceAndIsIdempotent()
    {
        var spec = TestSpecs.Small("twice", [0.1, 0.01]);
        var first = await _cluster.Sweep("twice").SubmitAsync(spec);
        var second = await _cluster.Sweep("twice").SubmitAsync(spec with { LearningRates = [0.1, 0.01] });

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Cells, second.Cells);
        var status = await _cluster.WaitForFinishAsync("twice", TimeSpan.FromSeconds(30));
        Assert.Equal(2, status.Cells.Count);
        var registry = await _cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync();
        Assert.Single(registry, s => s.Name == "twice");
    }

    [Fact]
    public async Task GetSpec_IsTheSubmittedSpec_AndNullForNoSweep()
    {
        var spec = TestSpecs.Small("spec-back", [0.1, 0.01]) with { Epochs = 3 };
        await _cluster.Sweep("spec-back").SubmitAsync(spec);

        var stored = await _cluster.Sweep("spec-back").GetSpecAsync();
        Assert.NotNull(stored);
        Assert.Equal(SpecCanonical.Flatten(spec), SpecCanonical.Flatten(stored));
        Assert.Null(await _cluster.Sweep("never-submitted").GetSpecAsync());
        await _cluster.WaitForFinishAsync("spec-back", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Submit_TwoClientsAtOnce_CreateTheSweepOnce()
    {
        var spec = TestSpecs.Small("race", [0.1, 0.01, 0.001]);
        // Two "clients": each silo's own grain factory, calling at the same moment, several times.
        var factories = _cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            factories[i % factories.Count].GetGrain<ISweepCoordinatorGrain>("race").SubmitAsync(spec)));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(3, r.Cells));
        var status = await _cluster.WaitForFinishAsync("race", TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
    }

    [Fact]
    public async Task Submit_ChangedSpecUnderSameName_IsRefusedNamingTheDifferences()
    {
        await _cluster.Sweep("changed").SubmitAsync(TestSpecs.Small("changed", [0.1], epochs: 3));

        var e = await Assert.ThrowsAsync<SpecValidationException>(() =>
            _cluster.Sweep("changed").SubmitAsync(TestSpecs.Small("changed", [0.1, 0.5], epochs: 2)));

        Assert.Contains("already exists with a different spec", e.Message);
        Assert.Contains(e.Errors, err => err.Path == "epochs" && err.Message.Contains("stored 3, submitted 2"));
        Assert.Contains(e.Errors, err => err.Path == "learningRates");
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Submit_InvalidSpec_IsRejectedByTheCoordinatorAndLeavesNoSweep()
    {
        var bad = TestSpecs.Small("bad", [-1.0]) with { Methods = ["nope"] };

        var e = await Assert.ThrowsAsync<SpecValidationException>(() => _cluster.Sweep("bad").SubmitAsync(bad));

        Assert.Contains(e.Errors, err => err.Path == "learningRates[0]");
        Assert.Contains(e.Errors, err => err.Path == "methods[0]");
        Assert.Null(await _cluster.Sweep("bad").GetStatusAsync());
        Assert.DoesNotContain(await _cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync(), s => s.Name == "bad");
    }

    [Fact]
    public async Task Submit_SpecNamedForAnotherSweep_IsRejected()
    {
        var e = await Assert.ThrowsAsync<SpecValidationException>(() => _cluster.Sweep("one").SubmitAsync(TestSpecs.Small("two", [0.1])));
        Assert.Equal("name", e.Errors.Single().Path);
    }

    [Fact]
    public async Task Sweep_WithDivergingCell_EndsItAsDivergedAndCompletes()
    {
        // The no-op trainer diverges cells with LR >= 10 in their second epoch (as SGD at 1e2 does for real).
        var spec = TestSpecs.Small("diverge", [100.0, 0.01], epochs: 4);
        await _cluster.Sweep("diverge").SubmitAsync(spec);

        var status = await _cluster.WaitForFinishAsync("diverge", TimeSpan.FromSeconds(30));

        Assert.Equal(SweepState.Completed, status.State);
        var diverged = status.Cells.Single(c => c.Config.LearningRate == 100.0);
        Assert.Equal(CellState.Diverged, diverged.State);
        Assert.Equal(CellState.Completed, status.Cells.Single(c => c.Config.LearningRate == 0.01).State);
        var curve = (await _cluster.Sweep("diverge").GetCurvesAsync([diverged.CellId])).Single();
        Assert.Equal([1, 2], curve.Records.Select(r => r.Epoch));
        Assert.True(curve.Records[^1].Diverged);
        var results = (await _cluster.Sweep("diverge").GetResultsAsync(selection: null))!;
        Assert.Equal(0.01, results.Rows.Single().BestLearningRate);
        Assert.Contains("diverged", results.Rows.Single().Note);
    }

    [Fact]
    public async Task Cancel_RunningSweep_CancelsOpenCellsAndResumeFinishesThem()
    {
        var spec = TestSpecs.Small("cancel", [0.1, 0.01, 0.001, 0.0001], epochs: 150);
        _gate.HoldAfter(EpochGate.AnySilo, 1);   // every pack waits after its first epoch: none ends before the cancel, however slow the machine
        await _cluster.Sweep("cancel").SubmitAsync(spec);
        await _cluster.WaitForAsync("cancel", s => s.Cells.Any(c => c.Epoch > 0), TimeSpan.FromSeconds(30), "did not get going");

        var cancelled = await _cluster.Sweep("cancel").CancelAsync();
        var afterCancel = (await _cluster.Sweep("cancel").GetStatusAsync())!;
        _gate.Release();
        var requeued = await _cluster.Sweep("cancel").ResumeAsync();
        var final = await _cluster.WaitForFinishAsync("cancel", TimeSpan.FromSeconds(60));

        Assert.Equal(4, cancelled);
        Assert.Equal(SweepState.Cancelled, afterCancel.State);
        Assert.All(afterCancel.Cells, c => Assert.Equal(CellState.Cancelled, c.State));
        Assert.Equal(4, requeued);
        Assert.Equal(SweepState.Completed, final.State);
        Curves.AssertUninterrupted(await _cluster.Sweep("cancel").GetCurvesAsync(null), spec, _trainer);
    }

    [Fact]
    public async Task Status_OfARunningSweep_HasItsRecentPaceAndTimeLeft_AndNoneOnceItStops()
    {
        // 4 cells on 4 slots at 20 ms an epoch: at most 200 cell-epochs a second, 2 minutes of work.
        var spec = TestSpecs.Small("pace", [0.1, 0.01, 0.001, 0.0001], epochs: 6000);
        await _cluster.Sweep("pace").SubmitAsync(spec);
        var running = await _cluster.WaitForAsync("pace", s => s.EpochsPerSecond is not null, TimeSpan.FromSeconds(30), "no pace");

        // Up to 1.5×: epochs trained just before the first report counted after it; double counting would show.
        Assert.InRange(running.EpochsPerSecond!.Value, 1, 4 * 1000.0 / 20 * 1.5);
        // One method, so every pack costs alike: the time left in work is the time left in cell-epochs.
        Assert.NotNull(running.WorkSecondsLeft);
        // A tolerance, not rounding to places: two sums a last bit apart can round either side of a half.
        var expected = (running.EpochsTotal - running.EpochsDone) / running.EpochsPerSecond.Value;
        Assert.Equal(expected, running.SecondsLeft!.Value, tolerance: 1e-9 * Math.Max(1, expected));
        // Each running pack's own time left: its cells' epochs left at no more than 50 a second, less what has passed since
        // its last report. Up to 4×: its first window spans a second or two, and a first report stored late (a busy
        // coordinator) shortens it.
        var paced = await _cluster.WaitForAsync("pace", s => s.Cells.Any(c => c.SecondsLeft is not null), TimeSpan.FromSeconds(30), "no pack's pace");
        Assert.All(paced.Cells.Where(c => c.SecondsLeft is not null), c =>
        {
            Assert.Equal(CellState.Running, c.State);
            Assert.InRange(c.SecondsLeft!.Value, (6000 - c.Epoch) * 0.020 / 4 - 5, 86_400);
        });
        // Grafana's "time left" gauge follows within a watchdog tick.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); TimeLeftGauge("pace") is not > 0; await Task.Delay(100))
            Assert.True(DateTime.UtcNow < deadline, "no time-left gauge");
        await _cluster.Sweep("pace").CancelAsync();
        var cancelled = (await _cluster.Sweep("pace").GetStatusAsync())!;
        Assert.Null(cancelled.EpochsPerSecond);
        Assert.Null(cancelled.SecondsLeft);
        Assert.All(cancelled.Cells, c => Assert.Null(c.SecondsLeft));
        Assert.Null(TimeLeftGauge("pace"));
    }

    /// <summary>The sweep's time-left gauge as this process's meter reports it now; null without a series.</summary>
    private static double? TimeLeftGauge(string sweep) => GaugeReadings.OfSweep<double>(MetricNames.SweepTimeLeft, sweep);

    [Fact]
    public async Task CancelAndResumeRacing_LeaveTheRegistryAgreeingWithTheSweep_AndItsCurvesWhole()
    {
        var spec = TestSpecs.Small("tug", [0.1, 0.01, 0.001, 0.0001], epochs: 40);
        var factories = _cluster.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();
        // Every pack (and every pack a resume restarts) waits after its first epoch until the rounds are over: the
        // cancels and resumes race on a running sweep, not on one that has already completed.
        _gate.HoldAfter(EpochGate.AnySilo, 1);
        await _cluster.Sweep("tug").SubmitAsync(spec);
        await _cluster.WaitForAsync("tug", s => s.Cells.Any(c => c.Epoch > 0), TimeSpan.FromSeconds(30), "did not get going");
        var registry = _cluster.Client.GetGrain<ISweepRegistryGrain>(0);

        for (int round = 0; round < 4; round++)
        {
            // Two clients: one cancels while the other resumes; which wins is up to the race, but the registry (what
            // `status` lists and what a restarted cluster wakes) must end up saying what the sweep says.
            await Task.WhenAll(
                factories[round % 2].GetGrain<ISweepCoordinatorGrain>("tug").CancelAsync(),
                factories[(round + 1) % 2].GetGrain<ISweepCoordinatorGrain>("tug").ResumeAsync());
            var sweepState = (await _cluster.Sweep("tug").GetStatusAsync())!.State;
            Assert.Equal(sweepState, (await registry.ListAsync()).Single(s => s.Name == "tug").State);
        }
        _gate.Release();
        await _cluster.Sweep("tug").ResumeAsync();
        var final = await _cluster.WaitForFinishAsync("tug", TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, final.State);
        // The ledger says Completed before its write is durable; the registry is told after that write.
        await _cluster.WaitForRegistryCompletedAsync("tug", TimeSpan.FromSeconds(30));
        Curves.AssertUninterrupted(await _cluster.Sweep("tug").GetCurvesAsync(null), spec, _trainer);
    }

    [Fact]
    public async Task Submit_RegistryUnwritable_FailsButTheSweepRunsAndAResubmitListsIt()
    {
        // A file where the registry's state directory would go: its first write fails after the ledger was written.
        Directory.CreateDirectory(_cluster.StateDirectory);
        var blocker = Path.Combine(_cluster.StateDirectory, "gg-registry");
        Assert.False(Directory.Exists(blocker), "the registry wrote before any sweep existed");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var spec = TestSpecs.Small("unlisted", [0.1, 0.01], epochs: 100);   // 2 s: running still when resubmitted

        var error = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Sweep("unlisted").SubmitAsync(spec));
        Assert.Contains(blocker, error.Message);                 // the registry's write failed, nothing else
        File.Delete(blocker);
        var again = await _cluster.Sweep("unlisted").SubmitAsync(spec);

        Assert.False(again.Created);
        // Stored, not only listed in memory: what a restarted silo finds to resume.
        Assert.Contains("unlisted", (await StoredRegistryAsync()).Sweeps.Keys);
        var status = await _cluster.WaitForFinishAsync("unlisted", TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        var deadline = DateTime.UtcNow.AddSeconds(30);   // the registry is told after the completion's ledger write
        while ((await _cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).SingleOrDefault(s => s.Name == "unlisted")?.State != SweepState.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the registry never listed the completed sweep");
            await Task.Delay(50);
        }
    }

    private async Task<SweepRegistryState> StoredRegistryAsync()
    {
        var storage = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GradGuessSiloOptions.StorageName);
        var state = new GrainState<SweepRegistryState>(new SweepRegistryState());
        await storage.ReadStateAsync("registry", _cluster.Client.GetGrain<ISweepRegistryGrain>(0).GetGrainId(), state);
        return state.State ?? new SweepRegistryState();
    }
}
