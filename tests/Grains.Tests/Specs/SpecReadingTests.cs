using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>How the parser reads a spec's YAML: list items, repeated keys, integers out of range, and structures that
/// YamlDotNet cannot build its node tree from.</summary>
public sealed class SpecReadingTests
{
    private const string Head = "name: r\ndata: synthetic\noptimizers: [sgd]\n";

    private static SpecValidationException Refused(string yaml) => Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(yaml));

    [Fact]
    public void AKeyOfEscapes_IsQuotedInTheErrorsPath_AsAValueIs()
    {
        // A key made of YAML escapes ("\e[2J" clears a terminal) reached stderr as it was, and a long one whole.
        var e = Refused($"{Head}methods: [wt]\nepochs: 1\nlearningRates: [0.1]\nseeds: [0]\n\"x\\e[2J{new string('k', 500)}\": 1\n");
        var error = Assert.Single(e.Errors);
        Assert.DoesNotContain(error.Path, char.IsControl);
        Assert.True(error.Path.Length <= 40, error.Path);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Fact]
    public void ThousandsOfErrors_AreNamedUpToTwenty_AndCounted()
    {
        var seeds = string.Join(", ", Enumerable.Repeat("0", 2001));   // 2000 duplicates
        var e = Refused($"{Head}methods: [wt]\nepochs: 1\nlearningRates: [0.1]\nseeds: [{seeds}]\n");
        Assert.Equal(2000, e.Errors.Count);
        Assert.EndsWith($"; and {2000 - SpecValidationException.ErrorsNamed} more", e.Message);
        Assert.True(e.Message.Length < 2000, $"{e.Message.Length} characters");
    }

    [Theory]
    [InlineData("[1.0e-46]", "learningRates[0]: is 0 in float32")]
    [InlineData("[1.0e+39]", "learningRates[0]: is infinite in float32")]
    [InlineData("[0.1, 0.10000000001]", "learningRates[1]: duplicate value 0.10000000001 in float32, which training steps in (0.1 is the same)")]
    public void ALearningRateTrainingCannotTellApart_IsRefused(string rates, string error)
    {
        var e = Refused($"{Head}methods: [wt]\nepochs: 1\nseeds: [0]\nlearningRates: {rates}\n");
        Assert.StartsWith(error, Assert.Single(e.Errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("learningRates: [1.0e-2, ~, 1.0e-4]\nseeds: [0]", "learningRates[1]")]
    [InlineData("learningRates:\n  - 1.0e-2\n  -\n  - 1.0e-4\nseeds: [0]", "learningRates[1]")]
    [InlineData("learningRates: [0.1]\nseeds: [0, null]", "seeds[1]")]
    public void EmptyListItem_IsAnErrorAtItsOwnIndex(string lists, string path)
    {
        var e = Refused($"{Head}methods: [wt]\nepochs: 1\n{lists}\n");

        Assert.Equal(new SpecError(path, "empty value"), Assert.Single(e.Errors));
    }

    [Theory]
    [InlineData("seeds: [abc, -1]", "seeds[0]: expected an integer", "seeds[1]: must be >= 0 (got -1)")]
    // The unread item's placeholder is no duplicate of a real 0.
    [InlineData("seeds: [abc, 0, -1]", "seeds[0]: expected an integer", "seeds[2]: must be >= 0 (got -1)")]
    [InlineData("learningRates: [x, -1]", "learningRates[0]: expected a number", "learningRates[1]: must be a finite number > 0")]
    [InlineData("methods: [[wt], foo]", "methods[0]: expected a single value", "methods[1]: unknown method 'foo'")]
    public void ItemAfterAnUnreadItem_KeepsItsIndex(string list, string first, string second)
    {
        var yaml = $"{Head}epochs: 1\n{list}\n";
        if (!list.StartsWith("learningRates", StringComparison.Ordinal)) yaml += "learningRates: [0.1]\n";
        if (!list.StartsWith("methods", StringComparison.Ordinal)) yaml += "methods: [wt]\n";

        var e = Refused(yaml);

        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith(first, e.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.StartsWith(second, e.Errors[1].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("matched-noise@0.10", "methods[1]: 'matched-noise@0.10': write it matched-noise@0.1")]
    [InlineData("matched-noise@2", "methods[1]: 'matched-noise@2': the cosine must be in (0, 1]")]
    [InlineData("matched-noise@0", "methods[1]: 'matched-noise@0': the cosine must be in (0, 1]")]
    [InlineData("matched-noise@", "methods[1]: 'matched-noise@': the cosine after '@' must be a number")]
    [InlineData("matched-noise@x", "methods[1]: 'matched-noise@x': the cosine after '@' must be a number")]
    [InlineData("matched-noise@0.2", "methods[1]: duplicate value 'matched-noise@0.2'")]
    [InlineData("wt@0.2", "methods[1]: unknown method 'wt@0.2' (known: backprop, directional, activation-perturbation, masked-perturbation, wt, downstream, activation-mixing, matched-noise; matched-noise@C for the oracle at cosine C)")]
    public void MatchedNoiseAtACosine_IsAMethod_WrittenInItsShortestForm(string second, string error)
    {
        var e = Refused($"{Head}methods: [matched-noise@0.2, {second}]\nepochs: 1\nseeds: [0]\nlearningRates: [0.1]\n");

        Assert.Equal(error, Assert.Single(e.Errors).ToString());
    }

    [Theory]
    [InlineData("data: fashion-mnst\nmethods: [wt]\noptimizers: [sgd]\n",
        "data.set: 'fashion-mnst' is not a known data set (did you mean 'fashion-mnist'? known: synthetic, fashion-mnist, mnist, cifar10)")]
    [InlineData("data: synthetic\nmethods: [backprp]\noptimizers: [sgd]\n",
        "methods[0]: unknown method 'backprp' (did you mean 'backprop'? known: backprop, directional, activation-perturbation, masked-perturbation, wt, downstream, activation-mixing, matched-noise; matched-noise@C for the oracle at cosine C)")]
    [InlineData("data: synthetic\nmethods: [wt]\noptimizers: [adamww]\n",
        "optimizers[0]: unknown optimizer 'adamww' (did you mean 'adamw'? known: sgd, adamw, stable-adamw)")]
    [InlineData("data: synthetic\nmethods: [wt]\noptimizers: [rmsprop]\n",
        "optimizers[0]: unknown optimizer 'rmsprop' (known: sgd, adamw, stable-adamw)")]   // nothing near: no guess
    [InlineData("data: synthetic\nmethods: [wt]\noptimizers: [sgd]\nselection: { metric: trainAcuracy }\n",
        "selection.metric: 'trainAcuracy' is not one of trainAccuracy, testAccuracy (did you mean 'trainAccuracy'?)")]
    [InlineData("data: synthetic\nmethods: [wt]\noptimizers: [sgd]\npacking: lrs\n",
        "packing: 'lrs' is not one of none, lr (did you mean 'lr'?)")]
    public void MistypedValue_IsRefusedWithTheNearestKnownOneFirst(string fields, string error)
    {
        var e = Refused($"name: r\n{fields}epochs: 1\nseeds: [0]\nlearningRates: [0.1]\n");

        Assert.Equal(error, Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void MatchedNoiseAtSeveralCosines_IsAGridOfMethods()
    {
        var spec = SweepSpecParser.Parse($"{Head}methods: [matched-noise, matched-noise@0.05, matched-noise@1]\nepochs: 1\nseeds: [0]\nlearningRates: [0.1]\n");

        Assert.Equal(["matched-noise", "matched-noise@0.05", "matched-noise@1"], spec.Methods);
        Assert.Equal(3, SweepGrid.Expand(spec).Cells.Count);
    }

    [Theory]
    [InlineData("epochs: 1000\n!!str epochs: 1\n", "epochs")]
    [InlineData("epochs: 1\ndata: { set: synthetic, !!str set: mnist }\n", "data.set")]
    public void RepeatedKey_WithAnotherTag_IsRefused(string fields, string path)
    {
        var e = Refused($"name: r\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\n{fields}" + (path == "epochs" ? "data: synthetic\n" : ""));

        var error = Assert.Single(e.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("epochs: 3000000000", "epochs", "3000000000")]
    [InlineData("epochs: 1\nseeds: [-99999999999999999999]", "seeds[0]", "-99999999999999999999")]
    public void IntegerOutOfRange_SaysSoWithTheRange(string field, string path, string text)
    {
        var e = Refused($"{Head}methods: [wt]\nlearningRates: [0.1]\n{field}\n");

        var error = Assert.Single(e.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal($"out of range: an integer here is between {int.MinValue} and {int.MaxValue} (got '{text}')", error.Message);
    }

    /// <summary>Keys that could refer to themselves: hashing <c>? &amp;k [*k]</c> (or a key aliasing such a node) overflowed
    /// the stack. These harmless cousins show the rule without the risk; in values, anchors and aliases still read.</summary>
    [Fact]
    public void AnchorOrAliasInAFieldName_IsRefused_InAValueItStillReads()
    {
        foreach (var (yaml, line) in new[]
        {
            ("? &k [a]\n: 1\n", 1),              // an anchored key
            ("a: &k [x]\n? *k\n: 1\n", 2),       // an alias as a key
            ("? [*k]\n: 1\nb: &k [x]\n", 1),     // an alias inside a key, of a later anchor
        })
        {
            var error = Assert.Single(Refused(yaml).Errors);
            Assert.Equal("", error.Path);
            Assert.StartsWith($"unsupported YAML at line {line}, column ", error.Message, StringComparison.Ordinal);
            Assert.Contains("an anchor '&' or alias '*' in a field name", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal([3], SweepSpecParser.Parse($"{Head}methods: &m [wt]\nlearningRates: [0.1]\nepochs: 1\nseeds: &s [3]\n").Seeds);
    }

    /// <summary>The root mapping is one level; <c>seeds: [[...]]</c> adds one per bracket.</summary>
    [Fact]
    public void NestingPastTheLimit_IsRefused()
    {
        string Nested(int brackets) => $"{Head}methods: [wt]\nlearningRates: [0.1]\nepochs: 1\nseeds: {new string('[', brackets)}{new string(']', brackets)}\n";

        Assert.Equal("seeds[0]", Assert.Single(Refused(Nested(SweepSpecParser.MaxNesting - 1)).Errors).Path);   // read, then judged
        var error = Assert.Single(Refused(Nested(SweepSpecParser.MaxNesting)).Errors);
        Assert.Equal("", error.Path);
        Assert.Equal($"unsupported YAML at line 7, column {"seeds: ".Length + SweepSpecParser.MaxNesting}: lists and mappings nested more than " +
            $"{SweepSpecParser.MaxNesting} deep (a spec needs two)", error.Message);
    }

    /// <summary>The inputs themselves: each overflowed the stack, which kills the process (here: the test host).</summary>
    [Theory]
    [InlineData("? &k [*k]\n: 1\n")]
    [InlineData("? *k\n: 1\na: &k [*k]\n")]
    [InlineData("seeds: [[[[[[[[[[[[[[[[[[[[ DEEP ]]]]]]]]]]]]]]]]]]]\n")]
    public void SelfReferenceOrDeepNesting_IsRefused_NotAStackOverflow(string yaml)
    {
        yaml = yaml.Replace(" DEEP ", new string('[', 100_000) + new string(']', 100_000), StringComparison.Ordinal);

        var error = Assert.Single(Refused(yaml).Errors);

        Assert.StartsWith("unsupported YAML at line ", error.Message, StringComparison.Ordinal);
    }
}
