using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How status and the report say that a sweep grew with --extend.</summary>
public sealed class GrowthTextTests
{
    private static readonly SweepSpec First = new("g", new DataSpec("synthetic"), new ModelSpec(1, 16), ["backprop"], ["sgd"], [1e-2, 1e-3], [0], 100);

    [Fact]
    public void EachStep_SaysWhatItAdded_AndARaiseOfEpochs()
    {
        var wider = First with { LearningRates = [1e-2, 1e-3, 1e-1], Seeds = [0, 1] };
        var longer = wider with { Epochs = 300, Methods = ["backprop", "wt"] };

        Assert.Equal("learningRates +1e-1, seeds +1, then methods +wt, epochs 100 -> 300", GrowthText.Of([First, wider], longer));
        Assert.Equal(100, GrowthText.RaisedFrom([First, wider], longer));
        Assert.Null(GrowthText.RaisedFrom([First], wider));   // values added only: the cells keep the ids a fresh run gives them
    }

    [Fact]
    public void EachStep_AsData_ListsTheAddedValuesPerAxis_AndTheEpochsOnlyWhereRaised()
    {
        var wider = First with { LearningRates = [1e-2, 1e-3, 1e-1], Seeds = [0, 1] };
        var longer = wider with { Epochs = 300, Methods = ["backprop", "wt"] };

        var steps = GrowthText.Steps([First, wider], longer);

        Assert.Equal(2, steps.Count);
        Assert.Equal([1e-1], steps[0].LearningRates);
        Assert.Equal([1], steps[0].Seeds);
        Assert.Equal(((int?)null, (int?)null), (steps[0].EpochsBefore, steps[0].EpochsAfter));
        Assert.Equal(["wt"], steps[1].Methods);
        Assert.Equal(((int?)100, (int?)300), (steps[1].EpochsBefore, steps[1].EpochsAfter));
        Assert.Empty(steps[1].LearningRates);
        Assert.Empty(GrowthText.Steps(null, First));
    }

    [Fact]
    public void RowRatesAdded_AreNamedRowByRow_OrCountedWhereManyRowsGrew()
    {
        static RowLearningRates Row(string method, params double[] rates) => new(method, "sgd", rates);
        var grid = First with { Methods = ["backprop", "wt", "downstream", "directional"] };
        var one = grid with { RowRates = [Row("wt", 3e-3)] };
        var two = grid with { RowRates = [Row("wt", 3e-3, 1e-1), Row("backprop", 3e-4)] };
        var many = grid with { RowRates = [Row("wt", 3e-3, 1e-1, 2e-3), Row("backprop", 3e-4, 5e-4), Row("downstream", 1e-1), Row("directional", 2e-3)] };

        Assert.Equal("rowRates wt × sgd +3e-3, then rowRates wt × sgd +1e-1, rowRates backprop × sgd +3e-4, then rowRates +4 rates in 4 rows",
            GrowthText.Of([grid, one, two], many));
        var steps = GrowthText.Steps([grid, one, two], many);
        Assert.Equal([3e-3], Assert.Single(steps[0].RowRates).LearningRates);
        Assert.Equal(["wt 0.002", "backprop 0.0005", "downstream 0.1", "directional 0.002"],
            steps[2].RowRates.Select(r => $"{r.Method} {string.Join(",", r.LearningRates.Select(lr => lr.ToString(System.Globalization.CultureInfo.InvariantCulture)))}"));
    }

    [Fact]
    public void ASweepNeverGrown_SaysNothing() =>
        Assert.Equal((null, null), (GrowthText.Of(null, First), GrowthText.RaisedFrom(null, First)));
}
