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
    public void ASweepNeverGrown_SaysNothing() =>
        Assert.Equal((null, null), (GrowthText.Of(null, First), GrowthText.RaisedFrom(null, First)));
}
