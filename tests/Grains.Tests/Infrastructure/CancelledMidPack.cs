using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>The first half of the tests that damage a stopped pack's state between two runs.</summary>
public static class CancelledMidPack
{
    /// <summary>Runs <paramref name="spec"/> on one CPU slot in <paramref name="directory"/> and cancels it once its first
    /// pack is past epoch 6 (held there, so the cancel lands mid-pack however slow the machine); returns that pack's
    /// state file, the only one, for the test to damage before it starts a second cluster on the directory.</summary>
    public static async Task<string> RunAsync(string directory, SweepSpec spec, NoOpPackTrainerFactory trainer)
    {
        var hold = new EpochGate();
        await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => hold.For(s, trainer), directory))
        {
            hold.HoldAfter(first.Cluster.Silos.Single().Name, 6);
            await first.Sweep(spec.Name).SubmitAsync(spec);
            await first.WaitForAsync(spec.Name, s => s.Cells.Max(c => c.Epoch) >= 6, TimeSpan.FromSeconds(30), "did not get going");
            await first.Sweep(spec.Name).CancelAsync();
            hold.Release();
            await first.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(30));
        }
        return Assert.Single(Directory.GetFiles(Path.Combine(directory, "state", "gg-training", spec.Name), "*.pack.state"));
    }
}
