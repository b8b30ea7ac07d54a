using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>
/// The registry (what a restarted cluster wakes, what <c>list</c> shows) failing to hear that a sweep started or stopped
/// running. A resume once left its sweep "running" with no watchdog, so nothing was admitted; a completion's or cancel's
/// failed sync was never tried again, so the registry listed a finished sweep as running for good.
/// </summary>
public sealed class StoppedSweepRegistryTests : IAsyncLifetime
{
    private SweepCluster _cluster = null!;
    private readonly EpochGate _gate = new();

    public async Task InitializeAsync() =>
        _cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => _gate.For(s, new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20))));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string RegistryDirectory => Path.Combine(_cluster.StateDirectory, "gg-registry");

    /// <summary>A file where the registry's directory is: its writes fail until <see cref="Unblock"/>.</summary>
    private void Block()
    {
        Directory.Move(RegistryDirectory, RegistryDirectory + ".away");
        File.WriteAllText(RegistryDirectory, "not a directory");
    }

    private void Unblock()
    {
        File.Delete(RegistryDirectory);
        Directory.Move(RegistryDirectory + ".away", RegistryDirectory);
    }

    private async Task WaitListedAsync(string sweep, SweepState state)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(50))
        {
            var listed = (await _cluster.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).SingleOrDefault(s => s.Name == sweep)?.State;
            if (listed == state) return;
            Assert.True(DateTime.UtcNow < deadline, $"the registry lists {sweep} as {listed}, not {state}, after 30 s");
        }
    }

    [Fact]
    public async Task Resume_WhoseRegistrySyncFails_StillTrainsTheSweepToTheEnd()
    {
        var spec = TestSpecs.Small("resumed", [0.1, 0.01], epochs: 6);
        _gate.HoldAfter(EpochGate.AnySilo, 2);
        await _cluster.Sweep("resumed").SubmitAsync(spec);
        await _gate.WaitHeldAsync("both packs at epoch 2", packs: 2);
        await _cluster.Sweep("resumed").CancelAsync();
        await _cluster.WaitForAsync("resumed", s => s.Cells.All(c => c.State == CellState.Cancelled), TimeSpan.FromSeconds(30), "cancel");
        await WaitListedAsync("resumed", SweepState.Cancelled);
        _gate.Release();

        Block();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Sweep("resumed").ResumeAsync());
        Assert.Contains("gg-registry", error.Message);
        Unblock();

        // No second resume: the first one's watchdog admits the cells and tells the registry.
        var status = await _cluster.WaitForFinishAsync("resumed", TimeSpan.FromSeconds(30));
        Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        await WaitListedAsync("resumed", SweepState.Completed);
    }

    [Fact]
    public async Task Completion_WhoseRegistrySyncFails_IsListedOnceTheRegistryCanBeWritten()
    {
        _gate.HoldAfter(EpochGate.AnySilo, 2);
        await _cluster.Sweep("finished").SubmitAsync(TestSpecs.Small("finished", [0.1, 0.01], epochs: 3));
        await _gate.WaitHeldAsync("both packs at epoch 2", packs: 2);
        await WaitListedAsync("finished", SweepState.Running);

        Block();
        _gate.Release();
        var status = await _cluster.WaitForFinishAsync("finished", TimeSpan.FromSeconds(30));
        Assert.Equal(SweepState.Completed, status.State);
        Unblock();

        await WaitListedAsync("finished", SweepState.Completed);
    }

    [Fact]
    public async Task Cancel_WhoseRegistrySyncFails_IsListedOnceTheRegistryCanBeWritten()
    {
        _gate.HoldAfter(EpochGate.AnySilo, 1);
        await _cluster.Sweep("stopped").SubmitAsync(TestSpecs.Small("stopped", [0.1, 0.01], epochs: 3));
        await _gate.WaitHeldAsync("both packs at epoch 1", packs: 2);
        await WaitListedAsync("stopped", SweepState.Running);

        Block();
        Assert.Contains("gg-registry", (await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Sweep("stopped").CancelAsync())).Message);
        Unblock();

        await WaitListedAsync("stopped", SweepState.Cancelled);
        var status = await _cluster.Sweep("stopped").GetStatusAsync();
        Assert.All(status!.Cells, c => Assert.Equal(CellState.Cancelled, c.State));
    }
}
