using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>A spec written out by <see cref="SweepSpecWriter"/> (as <c>report</c> writes spec.yaml) parses back as the same
/// sweep: the same canonical text, which is what cell ids hash.</summary>
public sealed class SweepSpecWriterTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Infrastructure.RepoPaths.Root, "examples"), "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExample_WrittenAndParsedAgain_IsTheSameSweep(string example)
    {
        var spec = SweepSpecParser.ParseFile(Path.Combine(Infrastructure.RepoPaths.Root, "examples", example));
        AssertRoundTrip(spec);
    }

    [Fact]
    public void EveryOptionalField_IsWritten_AndReadBack()
    {
        var spec = SweepSpecParser.Parse("""
            name: full
            data: { set: synthetic, train: 256, test: 64, features: 8, seed: 7 }
            model: { depth: 2, width: 16, initScale: 0.1 }
            methods: [backprop, wt, matched-noise@0.25]
            optimizers: [adamw, sgd, stable-adamw]
            learningRates: [0.30000000000000004, 1.0e+3, 0.5]
            seeds: [0, 7]
            epochs: 10
            batchSize: 64
            evaluateEvery: 2
            checkpointEvery: 4
            diagnostics: { cosineEvery: 25, effectiveRank: true }
            selection: { metric: testAccuracy, at: best, window: 3 }
            packing: lr
            maxCells: 200
            estimator: { guesses: 2, normalise: false, onePass: false, matchedCosine: 0.3 }
            optimizer: { weightDecay: 0.1, momentum: 0.9, beta1: 0.8, beta2: 0.99, epsilon: 1.0e-8, clipThreshold: 2, outputLrScale: 0.5 }
            """);
        var yaml = AssertRoundTrip(spec);
        Assert.Contains("data: { set: synthetic, train: 256, test: 64, features: 8, seed: 7 }\n", yaml);
        Assert.Contains("learningRates: [3.0000000000000004e-1, 1e+3, 5e-1]\n", yaml);
        Assert.Contains("methods: [backprop, wt, matched-noise@0.25]\n", yaml);
        Assert.Contains("selection: { metric: testAccuracy, at: best, window: 3 }\n", yaml);
        Assert.Contains("estimator: { guesses: 2, normalise: false, onePass: false, matchedCosine: 0.3 }\n", yaml);
        Assert.Contains("optimizer: { weightDecay: 0.1, momentum: 0.9, beta1: 0.8, beta2: 0.99, epsilon: 1e-08, clipThreshold: 2, outputLrScale: 0.5 }\n", yaml);
    }

    [Fact]
    public void Defaults_AreWrittenOut_UnsetOptionsLeftOut()
    {
        var spec = SweepSpecParser.Parse("name: m\ndata: fashion-mnist\nmethods: wt\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 3\n");
        var yaml = AssertRoundTrip(spec);
        Assert.Equal("""
            name: m
            data: { set: fashion-mnist }
            model: { depth: 3, width: 128 }
            methods: [wt]
            optimizers: [sgd]
            learningRates: [1e-1]
            seeds: [0]
            epochs: 3
            batchSize: 512
            evaluateEvery: 1
            checkpointEvery: 10
            diagnostics: { cosineEvery: 0, effectiveRank: false }
            selection: { metric: trainAccuracy, at: final }
            estimator: { guesses: 1, onePass: true, matchedCosine: 0.1 }
            packing: none
            maxCells: 10000

            """.ReplaceLineEndings("\n"), yaml);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("no")]
    [InlineData("123")]
    [InlineData("1e-3")]
    [InlineData("y")]
    public void NamesYamlWouldReadAsAnotherType_AreQuoted(string name)
    {
        var spec = SweepSpecParser.Parse($"name: '{name}'\ndata: fashion-mnist\nmethods: wt\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 3\n");
        var yaml = AssertRoundTrip(spec);
        Assert.StartsWith($"name: \"{name}\"\n", yaml);
    }

    [Theory]
    [InlineData("/data/fashion mnist")]
    [InlineData("/data/a \"quoted\" name")]
    [InlineData("/data/back\\slash: # not a comment")]
    [InlineData("/data/ünïcödé/[x], {y}")]
    [InlineData("/data/line\u2028separator")]
    public void DataDirectories_OfAnyText_ReadBackAsWritten(string dir)
    {
        var spec = new SweepSpec("d", new DataSpec("mnist", dir), new ModelSpec(), ["wt"], ["sgd"], [0.1], new List<int> { 0 }, 3);
        var yaml = AssertRoundTrip(spec);
        Assert.Equal(dir, SweepSpecParser.Parse(yaml).Data.Directory);
    }

    /// <summary>Writes <paramref name="spec"/>, parses the text and checks the canonical forms agree field by field.</summary>
    private static string AssertRoundTrip(SweepSpec spec)
    {
        var yaml = SweepSpecWriter.Write(spec);
        var again = SweepSpecParser.Parse(yaml, "written");
        Assert.Equal(SpecCanonical.Flatten(spec), SpecCanonical.Flatten(again));
        Assert.Empty(SpecCanonical.DifferingFields(spec, again));
        return yaml;
    }
}
