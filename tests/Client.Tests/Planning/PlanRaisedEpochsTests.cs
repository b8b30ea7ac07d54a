using System.Text.Json.Nodes;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Planning;

/// <summary><c>plan --extend</c> of a spec that raises the stored epochs: the stored cells train the extra epochs from
/// their packs' last checkpoints, added cells the whole run; the per-cell lines stay the spec's.</summary>
public sealed class PlanRaisedEpochsTests
{
    // 1000 examples in batches of 128: 8 steps an epoch, so a cosine sample every 4 steps is 2 an epoch, and an evaluation
    // every 3 epochs is one in 3 epochs and two in 6: a run of 6 epochs does twice a run of 3's work.
    private static SweepSpec Spec(int epochs, string lrs = "[1.0e-2, 1.0e-3, 1.0e-4]") => SweepSpecParser.Parse(Yaml(epochs, lrs));

    private static string Yaml(int epochs, string lrs) => $$"""
        name: raised
        data: { set: synthetic, train: 1000, test: 200, features: 20 }
        model: { depth: 2, width: 16 }
        methods: [backprop, directional]
        optimizers: [sgd, adamw]
        learningRates: {{lrs}}
        seeds: [0, 1]
        epochs: {{epochs}}
        batchSize: 128
        packing: lr
        evaluateEvery: 3
        diagnostics: { cosineEvery: 4 }
        """;

    private static readonly FlopRateEstimate Rate = new(2);

    [Fact]
    public void ARaise_PlansTheStoredCellsExtraEpochs_AndTheScheduleOfTheWholeRun()
    {
        var fresh3 = SweepPlanner.Build(Spec(3), Rate);
        var fresh9 = SweepPlanner.Build(Spec(9), Rate);

        var plan = SweepPlanner.Build(Spec(9), Rate, stored: Spec(3));

        var x = plan.Grid.Extends!;
        Assert.Equal((0L, 0, 24L, 8), (x.AddedCells, x.AddedPacks, x.StoredCells, x.StoredPacks));
        Assert.Equal((3, 24L, 8), (x.EpochsBefore, x.LengthenedCells, x.LengthenedPacks));
        Assert.Empty(x.AddedPackSizes);
        Assert.Equal((24L, 8), (plan.Grid.Cells, plan.Grid.Packs));
        // 6 more epochs of each of the 24 stored cells: twice the work of training them 3, on the same packs.
        Assert.Equal(24 * 6, plan.Schedule.CellEpochs);
        Assert.Equal(2 * fresh3.Cost.Flops, plan.Cost.Flops, 2 * fresh3.Cost.Flops * 1e-12);
        Assert.Equal(plan.Cost.Flops / 2e9, plan.Cost.Seconds!.Value, 9);
        Assert.Equal(fresh3.Cost.FlopsPerCellEpoch, plan.Cost.FlopsPerCellEpoch);
        Assert.Equal(fresh3.Cost.CheckpointBytes, plan.Cost.CheckpointBytes);   // each stored pack's checkpoint, rewritten
        // Per cell, the spec's 9 epochs: 72 steps, evaluations at 3, 6 and 9, 18 cosine samples.
        Assert.Equal(fresh9.Schedule with { CellEpochs = 24 * 6 }, plan.Schedule);
        Assert.Equal((72L, 3, 18L), (plan.Schedule.StepsPerCell, plan.Schedule.EvaluationsPerCell, plan.Schedule.CosineSamplesPerCell));
        // A stored curve holds 3 epochs already: it grows by the rest of a 9-epoch one.
        long growth = fresh9.Cost.CurveBytesPerCell - fresh3.Cost.CurveBytesPerCell;
        Assert.InRange(growth, 1, fresh9.Cost.CurveBytesPerCell - 1);
        Assert.Equal(fresh9.Cost.CurveBytesPerCell, plan.Cost.CurveBytesPerCell);
        Assert.Equal(24 * growth, plan.Cost.CurveBytes);

        var lines = PlanView.Lines(plan).ToList();
        Assert.Contains("  extension    epochs 3 → 9: the stored 24 cells in 8 packs train 6 more epochs each (not those that diverged); " +
                        "the per-cell lines below are the spec's, the totals what the extension trains", lines);
        Assert.Contains("  training     9 epochs × 8 steps of batch 128 = 72 steps per cell, 144 cell-epochs in all", lines);
    }

    /// <summary>Where the stored cells' states are known, only the packs with a completed cell train on, and only those cells
    /// count: a pack whose cells all diverged (or failed) trains nothing.</summary>
    [Fact]
    public void ARaise_WithTheCompletedCellsKnown_PlansOnlyTheirPacks()
    {
        var all = SweepPlanner.Build(Spec(9), Rate, stored: Spec(3));
        var grid = Grains.Sweeps.SweepGrid.Expand(Spec(3));
        // Packs in grid order: backprop's four (sgd, adamw × seeds 0, 1), then directional's. Backprop's first pack whole,
        // one cell of directional's first (the others diverged), none of the other six.
        var completed = grid.Packs[0].Cells.Select(c => c.CellId).Append(grid.Packs[4].Cells[0].CellId).ToHashSet();

        var plan = SweepPlanner.Build(Spec(9), Rate, stored: Spec(3), completed: completed);

        var x = plan.Grid.Extends!;
        Assert.Equal((3, 4L, 2, true), (x.EpochsBefore, x.LengthenedCells, x.LengthenedPacks, x.CompletedKnown));
        // One pack of each method of the four each has: a quarter of the work of every pack training on.
        Assert.Equal(all.Cost.Flops / 4, plan.Cost.Flops, all.Cost.Flops * 1e-12);
        Assert.Equal(2 * 3 * 6, plan.Schedule.CellEpochs);   // the two packs run whole
        Assert.Contains("  extension    epochs 3 → 9: the stored completed 4 cells in 2 packs train 6 more epochs each; " +
                        "the per-cell lines below are the spec's, the totals what the extension trains", PlanView.Lines(plan));
    }

    [Fact]
    public void ARaiseWithAnAddedRate_PlansTheStoredCellsExtraEpochs_AndTheAddedCellsWholeRun()
    {
        var grown = Spec(9, "[1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1]");
        var fresh3 = SweepPlanner.Build(Spec(3), Rate);
        var fresh9 = SweepPlanner.Build(Spec(9), Rate);
        // The added rate alone: one cell per method × optimizer × seed, as the added cells' packs hold.
        var alone9 = SweepPlanner.Build(Spec(9, "[1.0e-1]"), Rate);

        var plan = SweepPlanner.Build(grown, Rate, stored: Spec(3));

        var x = plan.Grid.Extends!;
        Assert.Equal((8L, 8, 24L, 8), (x.AddedCells, x.AddedPacks, x.StoredCells, x.StoredPacks));
        Assert.Equal((3, 24L, 8), (x.EpochsBefore, x.LengthenedCells, x.LengthenedPacks));
        Assert.Equal([new PlanPackSize(1, 8)], x.AddedPackSizes);
        Assert.Equal((32L, 16), (plan.Grid.Cells, plan.Grid.Packs));
        Assert.Equal(24 * 6 + 8 * 9, plan.Schedule.CellEpochs);
        double flops = 2 * fresh3.Cost.Flops + alone9.Cost.Flops;
        Assert.Equal(flops, plan.Cost.Flops, flops * 1e-12);
        Assert.Equal(flops / 2e9, plan.Cost.Seconds!.Value, 9);
        Assert.Equal(fresh3.Cost.CheckpointBytes + alone9.Cost.CheckpointBytes, plan.Cost.CheckpointBytes);
        Assert.Equal(24 * (fresh9.Cost.CurveBytesPerCell - fresh3.Cost.CurveBytesPerCell) + 8 * fresh9.Cost.CurveBytesPerCell, plan.Cost.CurveBytes);
        Assert.Equal(fresh9.Schedule.StepsPerCell, plan.Schedule.StepsPerCell);
        Assert.Contains("  extension    epochs 3 → 9: the stored 24 cells in 8 packs train 6 more epochs each (not those that diverged), " +
                        "and 8 cells in 8 packs are added; the per-cell lines below are the spec's, the totals what the extension trains",
            PlanView.Lines(plan));
    }

    [Fact]
    public void TheJson_CarriesTheRaise_AndNullWhereTheEpochsStay()
    {
        var raised = JsonNode.Parse(JsonOutput.Serialize(SweepPlanner.Build(Spec(9), stored: Spec(3))))!;
        var added = JsonNode.Parse(JsonOutput.Serialize(SweepPlanner.Build(Spec(3, "[1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1]"), stored: Spec(3))))!;

        var extends = raised["grid"]!["extends"]!;
        Assert.Equal((3, 24, 8, 0), ((int)extends["epochsBefore"]!, (int)extends["lengthenedCells"]!, (int)extends["lengthenedPacks"]!, (int)extends["addedCells"]!));
        Assert.Equal(9, (int)raised["schedule"]!["epochs"]!);
        Assert.Equal(24 * 6, (int)raised["schedule"]!["cellEpochs"]!);
        var only = added["grid"]!["extends"]!;
        Assert.Null(only["epochsBefore"]);
        Assert.Equal((0, 0, 8), ((int)only["lengthenedCells"]!, (int)only["lengthenedPacks"]!, (int)only["addedCells"]!));
        Assert.Contains("  extension    8 cells in 8 packs added to the stored 24 cells in 8 packs; the lines below are the added cells'",
            PlanView.Lines(SweepPlanner.Build(Spec(3, "[1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1]"), stored: Spec(3))));
    }

    [Fact]
    public void ARaiseOfOneEpoch_OfOneCell_IsSaidInTheSingular()
    {
        SweepSpec One(int epochs) => SweepSpecParser.Parse(Yaml(epochs, "[1.0e-2]").Replace("[backprop, directional]", "[backprop]")
            .Replace("[sgd, adamw]", "[sgd]").Replace("[0, 1]", "[0]"));

        var plan = SweepPlanner.Build(One(4), stored: One(3));

        Assert.Contains("  extension    epochs 3 → 4: the stored 1 cell in 1 pack trains 1 more epoch each (not those that diverged); " +
                        "the per-cell lines below are the spec's, the totals what the extension trains", PlanView.Lines(plan));
        Assert.Equal(1, plan.Schedule.CellEpochs);
    }
}
