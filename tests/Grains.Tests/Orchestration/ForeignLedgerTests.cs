using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>One sweep's ledger file copied over another's: the coordinator once took it as its own, so status and
/// results showed the other sweep's cells and accuracies under this sweep's name. It is now refused as damaged.</summary>
public sealed class ForeignLedgerTests
{
    [Fact]
    public async Task LedgerOfAnotherSweep_IsRefusedAsDamaged_NamingBothSweeps()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gg-foreign-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(), directory))
            {
                foreach (var name in new[] { "mine", "theirs" })
                {
                    await first.Sweep(name).SubmitAsync(TestSpecs.Small(name, [0.1, 0.01], epochs: 2));
                    await first.WaitForAsync(name, s => s.State == SweepState.Completed, TimeSpan.FromSeconds(30), $"{name} did not finish");
                }
            }
            var ledgers = Path.Combine(directory, "state", "gg-sweep");
            File.Copy(Path.Combine(ledgers, "theirs.sweep.state"), Path.Combine(ledgers, "mine.sweep.state"), overwrite: true);

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => new NoOpPackTrainerFactory(), directory);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => second.Sweep("mine").GetStatusAsync());
            var corrupt = Assert.IsType<StoredStateCorruptException>(Failures.Cause(refused), exactMatch: false);
            Assert.Contains("gg-sweep/mine holds the ledger of sweep theirs", corrupt.Message);
            Assert.Equal(SweepState.Completed, (await second.Sweep("theirs").GetStatusAsync())!.State);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
