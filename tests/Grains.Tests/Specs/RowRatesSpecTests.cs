using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary><c>rowRates</c>: learning rates one method × optimizer trains besides the grid's, as a spec reads, validates,
/// writes, packs and grows them.</summary>
public sealed class RowRatesSpecTests
{
    private const string Head = """
        name: rows
        data: { set: synthetic }
        model: { depth: 1, width: 16 }
        methods: [backprop, wt]
        optimizers: [sgd, adamw]
        learningRates: [1.0e-2, 1.0e-3]
        seeds: [0, 1]
        epochs: 3

        """;

    private static SweepSpec Parse(string rowRates) => SweepSpecParser.Parse(Head + rowRates);

    private static List<SpecError> Errors(string rowRates) =>
        Assert.Throws<SpecValidationException>(() => Parse(rowRates)).Errors.ToList();

    private static readonly SweepSpec Plain = TestSpecs.Twelve("rows") with { Seeds = [0, 1] };

    private static SweepSpec With(SweepSpec spec, params RowLearningRates[] rows) => spec with { RowRates = [.. rows] };

    [Fact]
    public void ARowsOwnRates_TrainInThatRowOnly_AfterTheGridsRates_ForEverySeed()
    {
        var spec = Parse("""
            rowRates:
              - { method: wt, optimizer: adamw, learningRates: [3.0e-3, 1.0e-1] }
              - method: backprop
                optimizer: sgd
                learningRates: [1.0e-4]
            """);

        Assert.Equal([1e-2, 1e-3, 3e-3, 1e-1], spec.RatesFor("wt", "adamw"));
        Assert.Equal([1e-2, 1e-3, 1e-4], spec.RatesFor("backprop", "sgd"));
        Assert.Equal([1e-2, 1e-3], spec.RatesFor("wt", "sgd"));
        Assert.Equal((2 * 2 * 2 + 3) * 2, spec.CellCount);
        Assert.Equal(4, spec.MostRatesInARow);
        var cells = SpecPacks.Cells(spec).ToList();
        Assert.Equal(spec.CellCount, cells.Count);
        Assert.Equal(cells.Count, cells.Distinct().Count());
        Assert.Equal([1e-2, 1e-2, 1e-3, 1e-3, 3e-3, 3e-3, 1e-1, 1e-1],
            cells.Where(c => c is { Method: "wt", Optimizer: "adamw" }).Select(c => c.LearningRate));
    }

    [Fact]
    public void WrittenAndReadBack_IsTheSameSweep_AndTheEntriesOrderDoesNotMatter()
    {
        var spec = With(Plain, new RowLearningRates("wt", "adamw", [3e-3, 1e-1]), new RowLearningRates("backprop", "sgd", [1e-4]));
        var yaml = SweepSpecWriter.Write(spec);
        Assert.Contains("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [3e-3, 1e-1] }\n", yaml);

        Assert.Empty(SpecCanonical.Differences(spec, SweepSpecParser.Parse(yaml)));
        Assert.Empty(SpecCanonical.Differences(spec, With(Plain, spec.RowRates![1], spec.RowRates[0])));
        Assert.NotEmpty(SpecCanonical.Differences(spec, With(Plain, spec.RowRates![1], spec.RowRates[0] with { LearningRates = [1e-1, 3e-3] })));
        Assert.DoesNotContain("rowRates", SweepSpecWriter.Write(Plain));   // a spec without them reads as before
        Assert.DoesNotContain(SpecCanonical.Flatten(Plain).Keys, SpecCanonical.IsRowRatesField);
    }

    [Fact]
    public void RowRates_ChangeNoCellIdOfTheGrid_AndAddCellsOfTheirOwn()
    {
        var grown = With(Plain, new RowLearningRates("wt", "adamw", [3e-3]));
        var (before, after) = (SweepGrid.Expand(Plain), SweepGrid.Expand(grown));
        Assert.Subset(after.Cells.Select(c => c.CellId).ToHashSet(), before.Cells.Select(c => c.CellId).ToHashSet());
        Assert.Equal(2, after.Cells.Count - before.Cells.Count);
    }

    [Fact]
    public void UnderPackingLr_ARowsOwnRatesJoinItsPack_OrAfterAnExtension_FormOneOfTheirOwn()
    {
        var packed = Plain with { Packing = PackingMode.Lr };
        var grown = With(packed, new RowLearningRates("wt", "adamw", [3e-3, 1e-1]));
        var first = SweepGrid.Expand(grown);
        Assert.Equal([4, 4], first.Packs.Where(p => p.Cells[0].Config is { Method: "wt", Optimizer: "adamw" }).Select(p => p.Cells.Count));

        var extended = SweepGrid.Expand(grown, [packed]);   // the stored packs keep their members: the row's rates pack apart
        Assert.Equal([2, 2, 2, 2], extended.Packs.Where(p => p.Cells[0].Config is { Method: "wt", Optimizer: "adamw" }).Select(p => p.Cells.Count));
        Assert.Equal(first.Cells.Count, extended.Cells.Count);
    }

    [Fact]
    public void AddingARow_OrRatesToOne_Extends_WhileDroppingOrReorderingThemIsRefused()
    {
        var stored = With(Plain, new RowLearningRates("wt", "adamw", [3e-3, 1e-1]));
        Assert.True(SpecExtension.Extends(Plain, stored));
        Assert.True(SpecExtension.Extends(stored, With(Plain, new RowLearningRates("wt", "adamw", [3e-3, 1e-1, 3e-2]))));
        Assert.True(SpecExtension.Extends(stored, With(Plain, stored.RowRates![0], new RowLearningRates("backprop", "sgd", [1e-4]))));

        var dropped = Assert.Single(SpecExtension.Obstacles(stored, With(Plain, new RowLearningRates("wt", "adamw", [1e-1]))));
        Assert.Equal("rowRates[wt, adamw]", dropped.Path);
        Assert.Contains("stored 3e-3,1e-1, submitted 1e-1: an extension keeps every stored value, and this drops 0.003", dropped.Message);
        Assert.Contains("in their order", Assert.Single(SpecExtension.Obstacles(stored, With(Plain, new RowLearningRates("wt", "adamw", [1e-1, 3e-3])))).Message);
        Assert.Contains("drops", Assert.Single(SpecExtension.Obstacles(stored, Plain)).Message);
        Assert.Contains("rowRates", SpecExtension.CannotExtend("rows"));
    }

    [Fact]
    public void ARowsOwnRate_MayMoveIntoLearningRates_KeepingItsCellsAndPacks_WhileDroppingItIsStillRefused()
    {
        var stored = With(Plain with { Packing = PackingMode.Lr }, new RowLearningRates("wt", "adamw", [3e-3, 1e-1]), new RowLearningRates("backprop", "sgd", [3e-3]));
        var moved = With(stored with { LearningRates = [1e-2, 1e-3, 3e-3] }, new RowLearningRates("wt", "adamw", [1e-1]));
        Assert.Empty(SpecExtension.Obstacles(stored, moved));
        var allMoved = stored with { LearningRates = [1e-2, 3e-3, 1e-3, 1e-1], RowRates = null };   // anywhere in the list: it is new there
        Assert.Empty(SpecExtension.Obstacles(stored, allMoved));

        // The rows that had it keep their cells (ids and packs); the others gain it, in packs of their own.
        var (first, grown) = (SweepGrid.Expand(stored), SweepGrid.Expand(moved, [stored]));
        foreach (var cell in first.Cells) Assert.Equal(cell.PackId, grown.CellsById[cell.CellId].PackId);
        var added = grown.Cells.Where(c => !first.CellsById.ContainsKey(c.CellId)).Select(c => c.Config).ToList();
        Assert.Equal((2 * 3 - 2) * 2, added.Count);   // every row but the two that had it, for both seeds
        Assert.DoesNotContain(added, c => c is { Method: "wt", Optimizer: "adamw" } or { Method: "backprop", Optimizer: "sgd" });
        Assert.All(added, c => Assert.Equal(3e-3, c.LearningRate));

        // Gone from the row without joining learningRates is a drop; a moved rate does not excuse a reordered row.
        Assert.Contains("drops 0.003", Assert.Single(SpecExtension.Obstacles(stored, With(stored, new RowLearningRates("wt", "adamw", [1e-1]), stored.RowRates![1]))).Message);
        var reordered = With(stored with { LearningRates = [1e-2, 1e-3, 1e-4] }, new RowLearningRates("wt", "adamw", [1e-1, 3e-3]), stored.RowRates[1]);
        Assert.Contains("in their order", Assert.Single(SpecExtension.Obstacles(stored, reordered)).Message);
    }

    [Fact]
    public void HowASweepGrewByRowRates_IsKept_SoALostLedgerRebuildsItsPacks()
    {
        var g1 = Plain with { Packing = PackingMode.Lr };
        var g2 = With(g1, new RowLearningRates("wt", "adamw", [3e-3]));
        var g3 = With(g1, new RowLearningRates("wt", "adamw", [3e-3, 1e-1]));
        var growth = SweepGrowth.Write([g1, g2], g3);
        Assert.Contains("RowRates", growth);
        Assert.DoesNotContain("RowRates", SweepGrowth.Write([g1], g1 with { Seeds = [0, 1, 2] }));   // entries without them read as before

        var earlier = SweepGrowth.Before(growth, g3)!;
        Assert.Equal(2, earlier.Count);
        Assert.Empty(SpecCanonical.Differences(g2, earlier[1]));
        var original = SweepGrid.Expand(g3, [g1, g2]);
        Assert.Equal(original.Cells.ToDictionary(c => c.CellId, c => c.PackId), SweepGrid.Expand(g3, earlier).Cells.ToDictionary(c => c.CellId, c => c.PackId));
        var leftOut = SweepGrowth.LeftOut(growth, g2, SweepGrid.Expand(g2, [g1]));   // rebuilt from g2: g3's 1e-1, for each seed
        Assert.Equal(2, leftOut.Count);
        Assert.All(leftOut, id => Assert.Equal(1e-1, original.CellsById[id].Config.LearningRate));
    }

    [Theory]
    [InlineData("rowRates:\n  - { method: directional, optimizer: adamw, learningRates: [3.0e-3] }", "rowRates[0].method", "'directional' is not one of methods (backprop, wt)")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: stable-adamw, learningRates: [3.0e-3] }", "rowRates[0].optimizer", "is not one of optimizers (sgd, adamw)")]
    [InlineData("rowRates:\n  - { method: backprp, optimizer: adamw, learningRates: [3.0e-3] }", "rowRates[0].method", "a row's rates are for a row of the grid (did you mean 'backprop'?)")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [1.0e-3] }", "rowRates[0].learningRates[0]", "0.001 is in learningRates already, which every row trains")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [3.0e-3, 0.003] }", "rowRates[0].learningRates[1]", "duplicate value 0.003")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [0] }", "rowRates[0].learningRates[0]", "must be a finite number > 0")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [1.0e-50] }", "rowRates[0].learningRates[0]", "is 0 in float32")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [] }", "rowRates[0].learningRates", "empty: give at least one learning rate")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw }", "rowRates[0].learningRates", "required")]
    [InlineData("rowRates:\n  - { method: wt, optimiser: adamw, learningRates: [3.0e-3] }", "rowRates[0].optimiser", "did you mean 'optimizer'?")]
    [InlineData("rowRates:\n  - wt", "rowRates[0]", "expected a mapping with fields method, optimizer, learningRates")]
    [InlineData("rowRates: { method: wt }", "rowRates", "expected a list")]
    [InlineData("rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [3.0e-3] }\n  - { method: wt, optimizer: adamw, learningRates: [1.0e-1] }",
        "rowRates[1]", "wt × adamw has rates in rowRates[0] already: list them there")]
    public void ABadEntry_IsRefusedNamingItsPath(string rowRates, string path, string message)
    {
        var errors = Errors(rowRates);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEntryThatFailsToRead_KeepsTheLaterEntriesIndices()
    {
        var errors = Errors("rowRates:\n  - { method: wt }\n  - { method: nope, optimizer: adamw, learningRates: [3.0e-3] }");
        Assert.Contains(errors, e => e.Path == "rowRates[1].method");
        Assert.DoesNotContain(errors, e => e.Path == "rowRates[0].method");
    }

    [Fact]
    public void MaxCells_CountsTheRowsOwnRates_AndSaysSo()
    {
        var error = Assert.Single(Errors("maxCells: 17\nrowRates:\n  - { method: wt, optimizer: adamw, learningRates: [3.0e-3] }"));
        Assert.Equal("maxCells", error.Path);
        Assert.Contains("the grid has 18 cells ((2 methods × 2 optimizers × 2 learning rates + 1 rate of rowRates) × 2 seeds)", error.Message);
        Assert.Equal(18, Parse("maxCells: 18\nrowRates:\n  - { method: wt, optimizer: adamw, learningRates: [3.0e-3] }").CellCount);
    }

    private static readonly string EmptyGrid = Head.Replace("learningRates: [1.0e-2, 1.0e-3]", "learningRates: []", StringComparison.Ordinal);

    private const string EveryRowItsOwn = """
        rowRates:
          - { method: backprop, optimizer: sgd, learningRates: [1.0e-1] }
          - { method: backprop, optimizer: adamw, learningRates: [1.0e-3, 3.0e-3] }
          - { method: wt, optimizer: sgd, learningRates: [3.0e-2] }
          - { method: wt, optimizer: adamw, learningRates: [1.0e-3] }
        """;

    [Fact]
    public void AnEmptyGridList_TrainsEachRowsOwnRatesOnly_AndGrowsLikeAnyOther()
    {
        var spec = SweepSpecParser.Parse(EmptyGrid + EveryRowItsOwn);

        Assert.Empty(spec.LearningRates);
        Assert.Equal([1e-3, 3e-3], spec.RatesFor("backprop", "adamw"));
        Assert.Equal(5 * 2, spec.CellCount);
        var cells = SpecPacks.Cells(spec).ToList();
        Assert.Equal(spec.CellCount, cells.Count);
        Assert.Equal([1e-1, 1e-1], cells.Where(c => c is { Method: "backprop", Optimizer: "sgd" }).Select(c => c.LearningRate));
        var yaml = SweepSpecWriter.Write(spec);
        Assert.Contains("learningRates: []\n", yaml);
        Assert.Empty(SpecCanonical.Differences(spec, SweepSpecParser.Parse(yaml)));
        // Written back, parsed, extended: a rate the grid gains trains in every row.
        Assert.True(SpecExtension.Extends(spec, spec with { LearningRates = [1e-2] }));
        Assert.Equal("stored [], submitted 1e-2", Assert.Single(SpecCanonical.Differences(spec, spec with { LearningRates = [1e-2] })).Message);
        Assert.Equal("the grid has 10 cells (5 rates of rowRates × 2 seeds), over the limit of 9",
            Assert.Single(Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(EmptyGrid + "maxCells: 9\n" + EveryRowItsOwn)).Errors).Message);
    }

    [Fact]
    public void AnEmptyGridList_WithARowWithoutRatesOfItsOwn_IsRefusedNamingTheRow()
    {
        var oneRow = EmptyGrid + "rowRates:\n  - { method: wt, optimizer: adamw, learningRates: [1.0e-3] }";
        var error = Assert.Single(Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(oneRow)).Errors);
        Assert.Equal("learningRates", error.Path);
        Assert.Equal("empty, and backprop × sgd and 2 more rows have no rowRates: every method × optimizer needs learning rates, the grid's or its own", error.Message);

        var none = Assert.Single(Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(EmptyGrid)).Errors);
        Assert.Equal("empty: give at least one learning rate, or every method × optimizer its own in rowRates", none.Message);
    }

    [Fact]
    public void AnOutputLayerScale_ThatOverflowsARowsOwnRate_IsRefused()
    {
        var error = Assert.Single(Errors("optimizer: { outputLrScale: 1.0e+30 }\nrowRates:\n  - { method: wt, optimizer: adamw, learningRates: [1.0e+10] }"));
        Assert.Equal("optimizer.outputLrScale", error.Path);
        Assert.Contains("learning rate 10000000000", error.Message);
    }
}
