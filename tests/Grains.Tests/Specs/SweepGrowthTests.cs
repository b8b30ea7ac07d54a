using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>A grown sweep's history as its registry entry keeps it, and the earlier specs a rebuilt (or planned) sweep
/// is expanded with, so its cells keep the packs they grew in.</summary>
public sealed class SweepGrowthTests
{
    // packing: lr, one method × optimizer × seed: g1 packs [a, b], g2 adds [c], g3 adds a seed (its own pack [a, b, c]).
    private static readonly SweepSpec G1 = TestSpecs.Small("grown", [0.1, 0.01], packing: PackingMode.Lr);
    private static readonly SweepSpec G2 = G1 with { LearningRates = [0.1, 0.01, 0.001] };
    private static readonly SweepSpec G3 = G2 with { Seeds = [0, 1] };
    private static readonly string? Growth = SweepGrowth.Write([G1, G2], G3);

    [Fact]
    public void AnOlderSpecSubmittedAgain_HasTheSpecsBeforeIt_AndItsCellsKeepThePacksTheyHad()
    {
        var earlier = SweepGrowth.Before(Growth, G2);

        Assert.NotNull(earlier);
        Assert.Empty(SpecCanonical.Differences(G1, Assert.Single(earlier)));
        var original = SweepGrid.Expand(G2, [G1]);          // as g2's ledger held it before g3
        var rebuilt = SweepGrid.Expand(G2, earlier);
        Assert.Equal(Packs(original), Packs(rebuilt));
        Assert.Equal(2, original.Packs.Count);               // [a, b] and [c]: not the one pack g2 alone would make
        Assert.NotEqual(Packs(original), Packs(SweepGrid.Expand(G2)));
    }

    [Fact]
    public void AnOlderSpecSpelledDifferently_IsTheSameSpec()
    {
        var earlier = SweepGrowth.Before(Growth, G2 with { LearningRates = [1e-1, 1e-2, 1e-3] });
        Assert.Empty(SpecCanonical.Differences(G1, Assert.Single(earlier!)));
    }

    [Fact]
    public void ASpecExtendingAnOlderOne_HasThatOneAndThoseBeforeIt()
    {
        // [a, b, c, d] extends g2 (and g1) but not g3, whose seed it lacks.
        var submitted = G2 with { LearningRates = [0.1, 0.01, 0.001, 1.0] };
        var earlier = SweepGrowth.Before(Growth, submitted);

        Assert.Equal(new[] { G1, G2 }.Select(Axes), earlier!.Select(Axes));
        var packs = Packs(SweepGrid.Expand(submitted, earlier));
        var g2Packs = Packs(SweepGrid.Expand(G2, [G1]));
        Assert.All(g2Packs, kv => Assert.Equal(kv.Value, packs[kv.Key]));   // a, b and c as they were; d alone
    }

    [Fact]
    public void TheCurrentSpec_OrOneExtendingIt_HasEverySpecBefore()
    {
        Assert.Equal(new[] { G1, G2 }.Select(Axes), SweepGrowth.Before(Growth, G3)!.Select(Axes));
        var g4 = G3 with { Methods = ["backprop", "wt"] };
        Assert.Equal(new[] { G1, G2, G3 }.Select(Axes), SweepGrowth.Before(Growth, g4)!.Select(Axes));
    }

    [Fact]
    public void TheFirstSpec_ASpecItNeverHad_OrNoGrowth_HasNone()
    {
        Assert.Null(SweepGrowth.Before(Growth, G1));
        Assert.Null(SweepGrowth.Before(Growth, G1 with { LearningRates = [0.5] }));
        Assert.Null(SweepGrowth.Before(Growth, G2 with { LearningRates = [0.01, 0.1, 0.001] }));   // reordered: another grid order
        Assert.Null(SweepGrowth.Before(null, G2));
        Assert.Null(SweepGrowth.Before("not json", G2));
    }

    [Fact]
    public void RaisedEpochs_KeepEveryCellsIdAndPack_AndTheGrowthKeepsEachGenerationsEpochs()
    {
        var longer = G1 with { Epochs = 10 };
        var wider = longer with { LearningRates = [0.1, 0.01, 0.001] };
        var growth = SweepGrowth.Write([G1, longer], wider);

        Assert.Equal(Packs(SweepGrid.Expand(G1)), Packs(SweepGrid.Expand(longer, [G1])));   // the ids hash the first epochs
        Assert.NotEqual(Packs(SweepGrid.Expand(G1)), Packs(SweepGrid.Expand(longer)));       // a new sweep of 10 epochs is another
        Assert.Contains("\"Epochs\":3", growth);
        Assert.DoesNotContain("Epochs", Growth);   // a sweep whose epochs never grew keeps the entry it had
        var earlier = SweepGrowth.Before(growth, wider)!;
        Assert.Equal([3, 10], earlier.Select(s => s.Epochs));
        var rebuilt = SweepGrid.Expand(wider, earlier);
        Assert.All(Packs(SweepGrid.Expand(G1)), kv => Assert.Equal(kv.Value, Packs(rebuilt)[kv.Key]));
        Assert.Equal(3, rebuilt.Cells.Count);
    }

    private static Dictionary<string, string> Packs(SweepGrid grid) => grid.Cells.ToDictionary(c => c.CellId, c => c.PackId);

    private static string Axes(SweepSpec spec) =>
        $"{string.Join(",", spec.Methods)}|{string.Join(",", spec.Optimizers)}|{string.Join(",", spec.LearningRates)}|{string.Join(",", spec.Seeds)}";
}
