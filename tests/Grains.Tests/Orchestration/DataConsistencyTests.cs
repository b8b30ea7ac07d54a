using System.Collections.Concurrent;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A sweep trains on one data set: the first pack to start fixes it (by content digest), and a pack on a silo
/// whose files differ fails, naming both, instead of putting two data sets into one results table.</summary>
public sealed class DataConsistencyTests
{
    [Fact]
    public async Task PackOnASiloWithOtherData_FailsNamingBothSilosAndDigests_AndResumesOnceTheFilesAgree()
    {
        var digests = new ConcurrentDictionary<string, string>();
        var noop = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        var built = 0;
        IPackTrainerFactory On(string silo)
        {
            // Counted, not read off the dictionary: silos built side by side both found it empty, both silos read "aaaa",
            // no pack failed, and the test failed in under a second.
            digests[silo] = Interlocked.Increment(ref built) == 1 ? "aaaa" : "bbbb";
            return new DataDigestTrainerFactory(noop, () => digests[silo]);
        }
        // One slot per silo: the first admission starts a pack on each, so both read their data at once.
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.Cpu(1), SiloSpec.Cpu(1)], On);
        // Both silos' slots known to the ledger before the first admission: a loaded machine listed the second one late
        // in a CI run, every pack trained on the first, and none failed.
        var ledger = cluster.Client.GetGrain<IGpuLedgerGrain>(0);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await ledger.GetCapacityAsync()).Total < 2; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "the ledger did not count both silos' slots");
        var sweep = cluster.Sweep("mixed");
        await sweep.SubmitAsync(TestSpecs.Small("mixed", [0.1, 0.01, 0.001, 0.0001], epochs: 4));

        var first = await cluster.WaitForFinishAsync("mixed", TimeSpan.FromSeconds(60));

        var data = Assert.IsType<DataRead>(first.Data);
        var other = digests.Single(d => d.Key != data.Silo);
        Assert.Equal(digests[data.Silo], data.Digest);
        Assert.Equal("the synthetic set generated here", data.Source);
        var failed = first.Cells.Where(c => c.State == CellState.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.Contains(first.Cells, c => c.State == CellState.Completed);
        Assert.Equal(first.Cells.Count, failed.Count + first.Count(CellState.Completed));
        Assert.All(failed, c => Assert.Equal(
            $"the synthetic set generated here on silo {other.Key} holds other data than this sweep trained on (the synthetic set generated "
            + $"here on silo {data.Silo}; data digest {other.Value}, the sweep's {data.Digest}): give every silo the files the sweep "
            + "trained on and resume it, or delete the sweep to run it on these", c.Error));

        // The silo's files put right: resume trains the failed cells there, and the sweep's data stays as it was.
        digests[other.Key] = data.Digest;
        Assert.Equal(failed.Count, await sweep.ResumeAsync());
        var second = await cluster.WaitForFinishAsync("mixed", TimeSpan.FromSeconds(60));
        Assert.All(second.Cells, c => Assert.Equal(CellState.Completed, c.State));
        Assert.Equal(data, second.Data);
        foreach (var curve in await sweep.GetCurvesAsync(null)) Curves.AssertContiguous(curve.Records, 4, curve.CellId);
    }
}
