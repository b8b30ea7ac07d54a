using GradGuessCluster.Grains.Bench;
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
}
