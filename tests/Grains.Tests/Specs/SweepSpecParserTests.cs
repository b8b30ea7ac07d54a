using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Grains.Tests.Specs;

public sealed class SweepSpecParserTests
{
    private const string Full = """
        name: fmnist-quick            # [a-z0-9-], at most 64 characters
        data: { set: synthetic, train: 256, test: 64, features: 8, seed: 7 }
        model: { depth: 3, width: 128, initScale: 0.1 }
        methods: [backprop, wt, downstream, activation-mixing, activation-perturbation, directional]
        optimizers: [adamw, sgd, stable-adamw]
        learningRates: [1.0e-2, 1.0e-3, 1.0e-4, 1.0e-5]
        seeds: [0, 1]
        epochs: 1000
        batchSize: 512
        evaluateEvery: 5
        checkpointEvery: 10
        diagnostics: { cosineEvery: 100, effectiveRank: true }
        selection: { metric: testAccuracy, at: best }
        packing: lr
        maxCells: 200
        estimator: { guesses: 2, normalise: false, onePass: false, matchedCosine: 0.3 }
        optimizer: { weightDecay: 0.1, momentum: 0.9, outputLrScale: 0.5 }
        """;

    [Fact]
    public void Parse_FullSpec_ReadsEveryField()
    {
        var spec = SweepSpecParser.Parse(Full);

        Assert.Equal("fmnist-quick", spec.Name);
        Assert.Equal(new DataSpec("synthetic", null, 256, 64, 8, 7), spec.Data);
        Assert.Equal(new ModelSpec(3, 128, 0.1), spec.Model);
        Assert.Equal(6, spec.Methods.Count);
        Assert.Equal(["adamw", "sgd", "stable-adamw"], spec.Optimizers);
        Assert.Equal([1e-2, 1e-3, 1e-4, 1e-5], spec.LearningRates);
        Assert.Equal([0, 1], spec.Seeds);
        Assert.Equal((1000, 512, 5, 10), (spec.Epochs, spec.BatchSize, spec.EvaluateEvery, spec.CheckpointEvery));
        Assert.Equal(new DiagnosticsSpec(100, true), spec.Diagnostics);
        Assert.Equal(new SelectionSpec(SelectionMetric.TestAccuracy, SelectionPoint.Best), spec.Selection);
        Assert.Equal(PackingMode.Lr, spec.Packing);
        Assert.Equal(200, spec.MaxCells);
        Assert.Equal(new EstimatorSpec(2, false, false, 0.3), spec.Estimator);
        Assert.Equal(new OptimizerSpec(WeightDecay: 0.1, Momentum: 0.9, OutputLrScale: 0.5), spec.Optimizer);
        Assert.Equal(144, spec.CellCount);
    }

    [Fact]
    public void Parse_MinimalSpec_UsesDefaults()
    {
        var spec = SweepSpecParser.Parse("name: m\ndata: synthetic\nmethods: wt\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 3\n");

        Assert.Equal(new ModelSpec(3, 128), spec.Model);
        Assert.Equal(["wt"], spec.Methods);
        Assert.Equal([0], spec.Seeds);
        Assert.Equal(SweepSpec.DefaultBatchSize, spec.BatchSize);
        Assert.Equal(PackingMode.None, spec.Packing);
        Assert.Equal(new SelectionSpec(), spec.SelectionOrDefault);
    }

    [Theory]
    [InlineData("name: x\nmethods: [backprop\n", "malformed YAML at line 3, column 1: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("name: v\ndata: { set: synthetic\nmodel: [\n", "malformed YAML: an unclosed bracket, brace or quote?")]
    public void Parse_MalformedYaml_SaysWhatAndWhereInFull(string yaml, string message)
    {
        var e = Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(yaml, "m.yaml"));
        Assert.Equal(message, Assert.Single(e.Errors).Message);
    }

    [Theory]
    [InlineData("epochs: ~\n")]
    [InlineData("epochs:\n")]
    [InlineData("epochs: null\n")]
    public void Parse_EmptyEpochs_IsCalledEmpty_NotZero(string epochs)
    {
        // It was read as 0: "must be between 1 and 1000000 (got 0)", for a value nobody wrote.
        var e = Assert.Throws<SpecValidationException>(() =>
            SweepSpecParser.Parse("name: d\ndata: synthetic\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\n" + epochs));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("epochs", "empty: required, a whole number between 1 and 1000000"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("{ set: synthetic, dir: data/x }", "data.dir", "synthetic data is generated, not read from files: leave dir out")]
    [InlineData("{ set: fashion-mnist, train: 100 }", "data.train", "only synthetic data takes train (fashion-mnist is read from its files)")]
    [InlineData("{ set: mnist, features: 8, seed: 1 }", "data.features", "only synthetic data takes features (mnist is read from its files)")]
    public void Parse_DataKeyTheSetDoesNotRead_IsAnError(string data, string path, string message)
    {
        var e = Assert.Throws<SpecValidationException>(() =>
            SweepSpecParser.Parse($"name: d\ndata: {data}\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\n"));
        Assert.Contains(e.Errors, x => x.Path == path && x.Message == message);
    }

    [Fact]
    public void Parse_RelativeDataDir_IsResolvedAgainstTheSpecDirectory()
    {
        var spec = SweepSpecParser.Parse("name: d\ndata: { set: fashion-mnist, dir: data/x }\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\n",
            baseDirectory: "/tmp/specs");
        Assert.Equal("/tmp/specs/data/x", spec.Data.Directory);
    }

    [Theory]
    [InlineData("\"\"", "must not be empty (leave it out for the default location)")]   // resolved, it was the spec's own folder
    [InlineData("\"  \"", "must not be empty (leave it out for the default location)")]
    [InlineData("\"x\\0y\"", "must not contain control characters (got 'x?y')")]   // a NUL made the resolution throw (exit 1)
    public void Parse_UnusableDataDirOfASpecFile_IsItsError(string dir, string message)
    {
        var e = Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(
            $"name: d\ndata: {{ set: fashion-mnist, dir: {dir} }}\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\n",
            baseDirectory: "/tmp/specs"));
        Assert.Equal(("data.dir", message), (Assert.Single(e.Errors).Path, e.Errors[0].Message));
    }

    [Fact]
    public void Parse_UnknownDataSetOfEscapes_IsQuotedShortAndWithoutControlCharacters()
    {
        var e = Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(
            $"name: d\ndata: {{ set: \"\\x1b[31m{new string('a', 100)}\" }}\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\n"));
        var error = Assert.Single(e.Errors, x => x.Path == "data.set");
        Assert.StartsWith("'?[31maaaa", error.Message);
        Assert.DoesNotContain('\x1b', error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void Canonical_SameSpecWrittenDifferently_IsTheSameSweep()
    {
        var a = SweepSpecParser.Parse("name: s\ndata: synthetic\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [1.0e-2, 0.001]\nepochs: 3\n");
        var b = SweepSpecParser.Parse("epochs: 3\nlearningRates: [0.01, 1e-3]\noptimizers: sgd\nmethods: [wt]\ndata: { set: synthetic }\nname: s\nbatchSize: 512\n");

        Assert.Empty(SpecCanonical.Differences(a, b));
    }

    [Fact]
    public void Canonical_ChangedSpec_NamesEachDifferentField()
    {
        var a = SweepSpecParser.Parse("name: s\ndata: synthetic\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.01]\nepochs: 3\n");
        var b = a with { Epochs = 4, Model = new ModelSpec(3, 64) };

        Assert.Equal(["epochs", "model.width"], SpecCanonical.Differences(a, b).Select(d => d.Path));
    }

    [Fact]
    public void SpecNames_MatchTheTrainingCoresTables()
    {
        Assert.Equal(EstimatorNames.All.Order(), SpecNames.Methods.Order());
        Assert.Equal(OptimizerNames.All.Order(), SpecNames.Optimizers.Order());
        Assert.Equal(DataSource.KnownSets.Order(), SpecNames.DataSets.Order());
        var defaults = new DataSource("synthetic");
        Assert.Equal((defaults.SyntheticTrain, defaults.SyntheticTest, defaults.SyntheticFeatures, defaults.SyntheticSeed),
            (DataSpec.DefaultSyntheticTrain, DataSpec.DefaultSyntheticTest, DataSpec.DefaultSyntheticFeatures, DataSpec.DefaultSyntheticSeed));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("fmnist-quick-2", true)]
    [InlineData("-lead", false)]
    [InlineData("..", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void SweepNames_IsValid_AcceptsOnlyTheSafeAlphabet(string name, bool valid) => Assert.Equal(valid, SweepNames.IsValid(name));

    [Fact]
    public void Examples_AllParse()
    {
        var examples = Directory.GetFiles(Path.Combine(Infrastructure.RepoPaths.Root, "examples"), "*.yaml");
        Assert.NotEmpty(examples);
        foreach (var file in examples) SweepSpecParser.ParseFile(file);
    }
}
