using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>"Did you mean" for options: a typo by edit distance, and a name carried over from another verb by its words.</summary>
public sealed class NearestNameTests
{
    private static readonly string[] Plan = ["--json", "--gflops", "--measure", "--device", "--threads", "--slots", "--extend", "--state-dir"];
    private static readonly string[] Local = ["--state-dir", "--metrics-port", "--cpu-slots", "--gpus", "--slots-per-gpu", "--threads", "--extend"];

    [Theory]
    [InlineData("--cpu-slots", "--slots")]          // local's name on plan: plan's ends the same
    [InlineData("--mesure", "--measure")]           // a typo, as before
    [InlineData("--SLOTS", "--slots")]
    [InlineData("--gpu-threads", "--threads")]
    [InlineData("--bogus", null)]
    [InlineData("--cpu", null)]                     // a word, not a name's end or beginning of plan's
    public void OnPlan(string given, string? meant) => Assert.Equal(meant, NearestName.FindOption(given, Plan));

    [Theory]
    [InlineData("--slots", "--cpu-slots")]          // plan's name on local: a name ending so is taken before --slots-per-gpu
    [InlineData("--metrics", "--metrics-port")]     // the beginning of a name
    [InlineData("--port", "--metrics-port")]
    [InlineData("--dir", "--state-dir")]
    public void OnLocal(string given, string meant) => Assert.Equal(meant, NearestName.FindOption(given, Local));

    [Fact]
    public void TwoNamesAlike_SuggestNeither() =>
        Assert.Null(NearestName.FindOption("--dir", ["--state-dir", "--data-dir", "--out"]));
}
