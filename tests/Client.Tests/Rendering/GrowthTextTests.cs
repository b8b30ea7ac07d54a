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
    public void ASweepNeverGrown_SaysNothing() =>
        Assert.Equal((null, null), (GrowthText.Of(null, First), GrowthText.RaisedFrom(null, First)));
}
