using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Tests.Placement;

/// <summary>A pack started again (resumed, re-queued after a yield) is sent where its training grain last was, and a silo
/// that receives it there activates it again itself, without asking placement, whenever the caller's directory cache still
/// points there. Where that silo has no free slot, the grain moves to where placement puts it now, rather than coming
/// back to that silo until it has one while another silo's slot stays idle.</summary>
public sealed class RestartPlacementTests
{
    [Fact]
    public async Task APackResumedWhereItsLastSiloIsFull_TrainsOnTheSiloWithAFreeSlot()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var gate = new EpochGate();
        var logs = new LogCapture();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1), SiloSpec.Cpu(1)], s => gate.For(s, trainer),
            services: s => s.AddSingleton<ILoggerProvider>(logs));

        // The pack trains on one silo and is cancelled there mid-run.
        gate.HoldAfter(EpochGate.AnySilo, 1);
        var moved = cluster.Sweep("moved");
        await moved.SubmitAsync(TestSpecs.Small("moved", [0.1], epochs: 20));
        await gate.WaitHeldAsync("the pack's first run");
        await moved.CancelAsync();
        await cluster.WaitForFinishAsync("moved", TimeSpan.FromSeconds(30));
        var first = SiloOf(logs, "moved");
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        for (var until = DateTime.UtcNow.AddSeconds(30); (await ledger.GetReservationsAsync()).Count > 0; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, "the cancelled pack kept its slot");
        // Another sweep's pack takes that silo's slot (both are free again, and placement breaks the tie as before), held
        // there; packs on the other silo are not held.
        gate.HoldAfter(first, 1);
        await cluster.Sweep("holder").SubmitAsync(TestSpecs.Small("holder", [0.1], epochs: 20));
        await gate.WaitHeldAsync("the holder's pack");
        Assert.Equal(first, SiloOf(logs, "holder"));

        // Resumed, the pack trains on the other silo while the holder keeps the first one's slot.
        try
        {
            await moved.ResumeAsync();
            var done = await cluster.WaitForFinishAsync("moved", TimeSpan.FromSeconds(30));
            Assert.Equal(CellState.Completed, done.Cells.Single().State);
            Assert.NotEqual(first, SiloOf(logs, "moved"));
            Assert.Equal(SweepState.Running, (await cluster.Sweep("holder").GetStatusAsync())!.State);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The silo the sweep's (one) pack last started on, from the training grain's log line.</summary>
    private static string SiloOf(LogCapture logs, string sweep) =>
        logs.Matching($"Pack {sweep}/").Last(l => l.Contains(" starting on cpu of ")).Split(" starting on cpu of ")[1];
}
