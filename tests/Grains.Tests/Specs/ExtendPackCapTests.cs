using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>The coordinator judges an extension's cap on a pack's parameters by the packs the sweep's generations form
/// (nothing trains here: the cluster has no slot, so the wide packs only queue).</summary>
public sealed class ExtendPackCapTests
{
    [Fact]
    public async Task Extend_WideModel_FitsWhenItsAddedPacksFit_AndIsRefusedWhenOneDoesNot()
    {
        var trainer = new NoOpPackTrainerFactory();
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining], _ => trainer);
        var lrs = SpecBoundsTests.Lrs;
        var stored = SpecBoundsTests.PacksThree(lrs[..3]) with { Name = "wide" };
        var sweep = cluster.Sweep("wide");
        await sweep.SubmitAsync(stored);

        // [a, b, c] + [d]: packs {a, b, c} {d}, though four packed together would not fit.
        var extended = await sweep.ExtendAsync(stored with { LearningRates = lrs[..4] });
        Assert.Equal((4, 2, 1, 1), (extended.Cells, extended.Packs, extended.AddedCells, extended.AddedPacks));

        // A method added packs its four learning rates together.
        var refused = await Assert.ThrowsAsync<SpecValidationException>(
            () => sweep.ExtendAsync(stored with { LearningRates = lrs[..4], Methods = ["backprop", "wt"] }));
        Assert.Contains(", 4 learning rates packed together,", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(4, (await sweep.GetStatusAsync())!.Cells.Count);

        // A first submit packs every learning rate, as before.
        var first = await Assert.ThrowsAsync<SpecValidationException>(
            () => cluster.Sweep("wide-first").SubmitAsync(stored with { Name = "wide-first", LearningRates = lrs[..4] }));
        Assert.Contains(", 4 learning rates packed together,", Assert.Single(first.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(0, trainer.Opened);
    }

    /// <summary>A wide sweep that grew past what one new sweep could pack ([a, b, c] + [d]) loses its ledger and is
    /// submitted again with its current spec, as the README's way out says: it is rebuilt with the packs it grew, which
    /// fit, instead of being judged as a new sweep packing all four together (it was refused so). No tensors: the
    /// packs train on the no-op trainer, so the wide model costs nothing.</summary>
    [Fact]
    public async Task WideSweepThatGrew_RebuiltAfterItsLedgerWasLost_IsJudgedByThePacksItGrew()
    {
        var lrs = SpecBoundsTests.Lrs;
        var first = SpecBoundsTests.PacksThree(lrs[..3]) with { Name = "wide-lost", Epochs = 3 };
        var grown = first with { LearningRates = lrs[..4] };
        var trainer = new NoOpPackTrainerFactory();
        // The no-op trainer holds none of the wide packs' gigabytes: the silo's memory checks would keep them waiting.
        static void NoMemoryLimit(GradGuessSiloOptions o)
        {
            o.CpuTrainingMemoryBytes = long.MaxValue;
            o.MachineMemoryCheck = false;
        }
        var directory = Path.Combine(Path.GetTempPath(), "gg-wide-lost-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var before = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory, configure: NoMemoryLimit))
            {
                var sweep = before.Sweep(first.Name);
                await sweep.SubmitAsync(first);
                await before.WaitForFinishAsync(first.Name, TimeSpan.FromSeconds(30));
                await sweep.ExtendAsync(grown);
                await before.WaitForFinishAsync(first.Name, TimeSpan.FromSeconds(30));
            }
            var ledger = Path.Combine(directory, "state", "gg-sweep", "wide-lost.sweep.state");
            File.Move(ledger, ledger + ".damaged");

            await using var after = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => trainer, directory, configure: NoMemoryLimit);
            var rebuilt = after.Sweep(first.Name);
            Assert.True((await rebuilt.SubmitAsync(grown)).Created);
            var status = await after.WaitForFinishAsync(first.Name, TimeSpan.FromSeconds(30));
            Assert.Equal(2, status.Cells.Select(c => c.PackId).Distinct().Count());   // {a, b, c} and {d}, as it grew
            Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
