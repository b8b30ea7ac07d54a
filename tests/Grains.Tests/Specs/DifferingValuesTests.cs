using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>Two differing spec values shortened for one line still read apart (a cut at a fixed length printed six
/// methods against five, or one more learning rate at a grid's end, as the same text).</summary>
public sealed class DifferingValuesTests
{
    [Theory]
    [InlineData("5", "10")]
    [InlineData("backprop,wt,downstream,activation-mixing,activation-perturbation,directional",
                "backprop,wt,downstream,activation-mixing,activation-perturbation")]
    [InlineData("0.01,0.001,0.0001,1E-05,1E-06,1E-07", "0.01,0.001,0.0001,1E-05,1E-06,1E-07,1E-08")]
    [InlineData("/mnt/shared/datasets/fashion-mnist/v1-raw", "/mnt/shared/datasets/fashion-mnist/v2-gz")]
    [InlineData("0.01,0.001,0.0001,1E-05,1E-06,1E-07,1E-08,1E-09,1E-10", "0.02,0.001,0.0001,1E-05,1E-06,1E-07,1E-08,1E-09,1E-10")]
    [InlineData("x", "a very long value that goes on and on well past the forty characters of a line's field")]
    public void DifferingValues_StayApart_WithinALinesWidth(string a, string b)
    {
        var (shortA, shortB) = DifferingValues.Shorten(a, b);
        Assert.NotEqual(shortA, shortB);
        Assert.All(new[] { shortA, shortB }, s => Assert.True(s.Length <= 46, $"'{s}' is {s.Length} characters"));
    }

    [Fact]
    public void ShortValues_AreShownWhole_LongOnesAroundWhereTheyDiffer()
    {
        Assert.Equal(("5", "10"), DifferingValues.Shorten("5", "10"));
        Assert.Equal(("...perturbation,directional", "...perturbation"),
            DifferingValues.Shorten("backprop,wt,downstream,activation-mixing,activation-perturbation,directional",
                                    "backprop,wt,downstream,activation-mixing,activation-perturbation"));
        Assert.Equal(("...hion-mnist/v1-raw", "...hion-mnist/v2-gz"),
            DifferingValues.Shorten("/mnt/shared/datasets/fashion-mnist/v1-raw", "/mnt/shared/datasets/fashion-mnist/v2-gz"));
        Assert.Equal(("0.01,0.001,0.000...", "0.02,0.001,0.000..."),
            DifferingValues.Shorten("0.01,0.001,0.0001,1E-05,1E-06,1E-07,1E-08,1E-09,1E-10", "0.02,0.001,0.0001,1E-05,1E-06,1E-07,1E-08,1E-09,1E-10"));
        Assert.Equal(("...,1E-06,1E-07", "...,1E-06,1E-07,1E-08"),
            DifferingValues.Shorten("0.01,0.001,0.0001,1E-05,1E-06,1E-07", "0.01,0.001,0.0001,1E-05,1E-06,1E-07,1E-08"));
        Assert.Equal(("a?b", "a b"), DifferingValues.Shorten("a\u001bb", "a\nb"));   // control characters never reach the terminal
    }
}
