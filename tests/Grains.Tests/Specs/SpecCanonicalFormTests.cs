using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>Spellings of one value must give one canonical form, hence one sweep and the same cell ids.</summary>
public sealed class SpecCanonicalFormTests
{
    private const string Spec = "name: c\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\n";

    [Fact]
    public void NegativeZero_IsZero()
    {
        var zero = SweepSpecParser.Parse(Spec + "data: synthetic\noptimizer: { weightDecay: 0 }\n");
        var negative = SweepSpecParser.Parse(Spec + "data: synthetic\noptimizer: { weightDecay: -0 }\n");

        Assert.True(double.IsNegative(negative.OptimizerOrDefault.WeightDecay!.Value));   // the case at hand
        Assert.Empty(SpecCanonical.Differences(zero, negative));
        Assert.Equal(SweepGrid.Expand(zero).Cells.Select(c => c.CellId), SweepGrid.Expand(negative).Cells.Select(c => c.CellId));
    }

    [Theory]
    [InlineData("/data/fmnist/", null)]
    [InlineData("/data//fmnist//", "/tmp/specs")]
    [InlineData("/x/../data/./fmnist", "/tmp/specs")]
    [InlineData("fmnist/", "/data")]
    [InlineData("../data/fmnist/", "/x")]
    public void DataDir_HasOneSpellingPerDirectory(string dir, string? baseDirectory)
    {
        var spec = SweepSpecParser.Parse(Spec + $"data: {{ set: fashion-mnist, dir: {dir} }}\n", baseDirectory: baseDirectory);

        Assert.Equal("/data/fmnist", spec.Data.Directory);
    }
}
