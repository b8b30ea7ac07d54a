using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>The cost of a pack's cell-epoch, by which status weighs the work left: packs of dearer methods count for more.</summary>
public sealed class PackCostTests
{
    private static readonly SweepSpec Spec = TestSpecs.Small("cost", [0.1, 0.01], epochs: 10) with
    {
        Methods = ["backprop", "activation-mixing"],
        Data = new DataSpec("synthetic", null, 512, 128, 16, 1),
    };

    [Fact]
    public void APackOfActivationMixing_CostsMoreACellEpochThanOneOfBackprop_AndAPacksCostIsPerCell()
    {
        var grid = SweepGrid.Expand(Spec);
        var cost = new PackCost();
        double Of(string method) => cost.PerCellEpoch(Spec, grid.Packs.First(p => p.Cells[0].Config.Method == method))!.Value;

        Assert.True(Of("activation-mixing") > 1.2 * Of("backprop"), $"{Of("activation-mixing")} against {Of("backprop")}");
        var packed = Spec with { Packing = PackingMode.Lr };
        var packedGrid = SweepGrid.Expand(packed);
        var pack = packedGrid.Packs.First(p => p.Cells[0].Config.Method == "backprop");
        Assert.Equal(2, pack.Cells.Count);
        Assert.Equal(Of("backprop"), new PackCost().PerCellEpoch(packed, pack)!.Value, 6);   // one seed: nothing shared by backprop's cells
    }

    [Fact]
    public void TheWorkLeft_IsEachUnfinishedCellsEpochsToGoAtItsPacksCost()
    {
        var grid = SweepGrid.Expand(Spec);
        var cost = new PackCost();
        CellStatus Cell(int i, CellState state, int epoch) =>
            new(grid.Cells[i].CellId, grid.Cells[i].PackId, grid.Cells[i].Config, state, epoch, Spec.Epochs, null, null, null, null, null, null);
        double Each(int i) => cost.PerCellEpoch(Spec, grid.PacksById[grid.Cells[i].PackId])!.Value;

        var cells = new[]
        {
            Cell(0, CellState.Completed, 10), Cell(1, CellState.Diverged, 3),   // done: nothing left
            Cell(2, CellState.Running, 4), Cell(3, CellState.Queued, 0),
        };

        Assert.Equal(6 * Each(2) + 10 * Each(3), cost.Left(Spec, grid.PacksById, cells)!.Value, 6);
        Assert.Equal(0, cost.Left(Spec, grid.PacksById, cells[..2])!.Value);
    }
}
