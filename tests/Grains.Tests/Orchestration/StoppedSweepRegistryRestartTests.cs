using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A completed sweep whose registry entry still says running (the sync after its completion failed, and the
/// silo that would have retried it died) is corrected by the next cluster: the resume service wakes it as running, and
/// the woken sweep tells the registry how it stands. The wake once ignored any sweep not running, so every later start
/// woke it for nothing and `list` showed it running for good.</summary>
public sealed class StoppedSweepRegistryRestartTests
{
    [Fact]
    public async Task CompletedSweepListedAsRunning_IsListedAsCompleted_AfterTheClusterRestarts()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(10));
        var directory = Path.Combine(Path.GetTempPath(), "gg-registry-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var registry = Path.Combine(directory, "state", "gg-registry");
        try
        {
            var gate = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => gate.For(s, trainer), directory))
            {
                gate.HoldAfter(EpochGate.AnySilo, 1);
                await first.Sweep("relisted").SubmitAsync(TestSpecs.Small("relisted", [0.1, 0.01], epochs: 2));
                await gate.WaitHeldAsync("both packs after epoch 1", packs: 2);
                Directory.Move(registry, registry + ".away");
                File.WriteAllText(registry, "not a directory");   // the completion's sync fails, and so does every retry
                gate.Release();
                var done = await first.WaitForFinishAsync("relisted", TimeSpan.FromSeconds(30));
                Assert.Equal(SweepState.Completed, done.State);
                await first.Cluster.KillSiloAsync(first.Cluster.Silos.Single());
            }
            File.Delete(registry);
            Directory.Move(registry + ".away", registry);

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory);
            for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
            {
                // The registry alone: a call to the sweep would activate it, which is what the wake must do by itself.
                var listed = (await second.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync()).Single(s => s.Name == "relisted").State;
                if (listed == SweepState.Completed) break;
                Assert.True(DateTime.UtcNow < deadline, $"the registry still lists the completed sweep as {listed}");
            }
        }
        finally
        {
            if (File.Exists(registry)) File.Delete(registry);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
