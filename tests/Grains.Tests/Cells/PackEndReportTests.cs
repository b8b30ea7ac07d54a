using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>A pack's end report, like its epoch reports, rides out a coordinator that cannot be reached for a while (its
/// silo died and it is moving): three tries within milliseconds gave up, and the outcome waited for the watchdog to place
/// the finished pack again, which on a full cluster means a free slot.</summary>
public sealed class PackEndReportTests
{
    [Fact]
    public async Task AnEndReportThatFindsNoCoordinatorFourTimes_IsDeliveredByTheFifthTry()
    {
        var failing = new FailingEndReports(4);
        await using var cluster = await CompletedOnePackSweepAsync(failing);
        for (var until = DateTime.UtcNow.AddSeconds(20); !failing.Delivered; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, $"the end report was tried {failing.Calls} times and never delivered");
        Assert.Equal(5, failing.Calls);
    }

    [Fact]
    public async Task AnEndReportThatTimesOut_IsTriedThreeTimesOnly_AndTheWatchdogLearnsTheEnd()
    {
        // A report that timed out may have been applied: sent again after the pack was started anew, it would take the new
        // run for ended. So three tries as before, and the coordinator's watchdog reads the outcome from the pack.
        var failing = new FailingEndReports(int.MaxValue, timeout: true);
        await using var cluster = await CompletedOnePackSweepAsync(failing);
        await Task.Delay(TimeSpan.FromSeconds(3));   // time for a backoff's fourth and fifth tries, were there any
        Assert.Equal(3, failing.Calls);
    }

    /// <summary>A cluster, kept for the caller, on which a one-pack sweep ran to its end through <paramref name="failing"/>.</summary>
    private static async Task<SweepCluster> CompletedOnePackSweepAsync(FailingEndReports failing)
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer,
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(failing));
        try
        {
            await cluster.Sweep("end").SubmitAsync(TestSpecs.Small("end", [0.1], epochs: 2));
            var done = await cluster.WaitForFinishAsync("end", TimeSpan.FromSeconds(40));
            Assert.Equal(CellState.Completed, Assert.Single(done.Cells).State);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Refuses the first <paramref name="count"/> end reports as a silo that died does (a report known not to have
    /// been applied), or with <paramref name="timeout"/> times them out (one that may have been).</summary>
    private sealed class FailingEndReports(int count, bool timeout = false) : IIncomingGrainCallFilter
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        public bool Delivered { get; private set; }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType != typeof(ISweepCoordinatorGrain) || context.InterfaceMethod.Name != nameof(ISweepCoordinatorGrain.PackEndedAsync))
            {
                await context.Invoke();
                return;
            }
            if (Interlocked.Increment(ref _calls) <= count)
                throw timeout ? new TimeoutException("no answer from the coordinator") : new SiloUnavailableException("the coordinator's silo is gone");
            await context.Invoke();
            Delivered = true;
        }
    }
}
