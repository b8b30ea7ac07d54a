using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>Limits on what fields imply together (a pack's parameters, a synthetic set's floats) and on a spec's size.</summary>
public sealed class SpecBoundsTests
{
    private static readonly SweepSpec Base = TestSpecs.Small("bounds", [0.1]);

    /// <summary>A pack's weights and biases by the training core's own count (MlpShape).</summary>
    internal static long PackParameters(int features, int width, int depth, int cells) =>
        new MlpShape(features, width, depth, DatasetLoader.Classes).ParameterCount * cells;

    /// <summary>The widest model whose pack still fits <see cref="PackSpecChecks.MaxPackParameters"/>.</summary>
    internal static int WidestModel(int features, int depth, int cells)
    {
        int fits = 1, fitsNot = SweepSpecValidator.MaxWidth + 1;
        while (fitsNot - fits > 1)
        {
            var mid = fits + (fitsNot - fits) / 2;
            if (PackParameters(features, mid, depth, cells) <= PackSpecChecks.MaxPackParameters) fits = mid; else fitsNot = mid;
        }
        return fits;
    }

    /// <summary>The output layer's rate is every learning rate of the grid times the scale: the first that leaves float32
    /// (as a learning rate may not) is named, with the product.</summary>
    [Theory]
    [InlineData(0.0, new[] { 0.1 }, "must be > 0 (got 0)")]
    [InlineData(double.NaN, new[] { 0.1 }, "must be > 0 (got NaN)")]
    [InlineData(1e-44, new[] { 0.1, 1e-3 }, "makes the output layer's learning rate 1e-47 (learning rate 0.001 × 1E-44), 0 in float32")]
    [InlineData(1e38, new[] { 0.1, 10 }, "makes the output layer's learning rate 1e+39 (learning rate 10 × 1E+38), infinite in float32")]
    public void AnOutputLrScale_TheGridsRatesCannotTake_IsRefusedNamingTheRate(double scale, double[] rates, string problem)
    {
        var errors = SweepSpecValidator.Validate(Base with { LearningRates = rates, Optimizer = new OptimizerSpec(OutputLrScale: scale) });
        var error = Assert.Single(errors);
        Assert.Equal("optimizer.outputLrScale", error.Path);
        Assert.StartsWith(problem, error.Message);
        Assert.Empty(SweepSpecValidator.Validate(Base with { LearningRates = rates, Optimizer = new OptimizerSpec(OutputLrScale: 0.4) }));
    }

    [Theory]
    [InlineData(0.0, "must be from 1e-6 to 1000 (got 0)")]
    [InlineData(-0.1, "must be from 1e-6 to 1000 (got -0.1)")]
    [InlineData(1e-7, "must be from 1e-6 to 1000 (got 1E-07)")]
    [InlineData(1001.0, "must be from 1e-6 to 1000 (got 1001)")]
    [InlineData(double.NaN, "must be from 1e-6 to 1000 (got NaN)")]
    public void AnInitScaleOutOfRange_IsRefused(double scale, string problem)
    {
        var error = Assert.Single(SweepSpecValidator.Validate(Base with { Model = Base.Model with { InitScale = scale } }));
        Assert.Equal(("model.initScale", problem), (error.Path, error.Message));
        Assert.Empty(SweepSpecValidator.Validate(Base with { Model = Base.Model with { InitScale = 0.1 } }));
    }

    [Theory]
    [InlineData("mnist", 3, 1)]
    [InlineData("cifar10", 2, 1)]
    [InlineData("synthetic", 1, 1)]       // depth 1 has no hidden-to-hidden layer: only the input and output layers count
    [InlineData("fashion-mnist", 2, 3)]   // three learning rates packed
    public void EveryLayersWeightsAndBiases_CountAgainstThePackCap(string set, int depth, int cells)
    {
        var data = set == DataSpec.SyntheticSet ? new DataSpec(set, Train: 1000, Test: 100, Features: SweepSpecValidator.MaxSyntheticFeatures) : new DataSpec(set);
        var features = set == DataSpec.SyntheticSet ? data.Features : DataShape.Published(set)!.Features;
        SweepSpec Spec(int width) => Base with
        {
            Data = data, Model = new ModelSpec(depth, width), LearningRates = [.. Enumerable.Range(1, cells).Select(i => i / 10.0)],
            Packing = cells > 1 ? PackingMode.Lr : PackingMode.None,
        };
        var widest = WidestModel(features, depth, cells);

        Assert.Empty(SweepSpecValidator.Validate(Spec(widest)));
        var error = Assert.Single(SweepSpecValidator.Validate(Spec(widest + 1)));
        Assert.Equal("model", error.Path);
        Assert.Contains($"({features} inputs, {DatasetLoader.Classes} classes)", error.Message, StringComparison.Ordinal);
        Assert.Contains($" is {PackParameters(features, widest + 1, depth, cells):N0} weights and biases per pack, more than one pack's " +
            $"parameter tensor can hold ({PackSpecChecks.MaxPackParameters:N0})", error.Message, StringComparison.Ordinal);
    }

    /// <summary>packing: lr on a model whose pack holds three learning rates and not four.</summary>
    internal static SweepSpec PacksThree(IReadOnlyList<double> learningRates, IReadOnlyList<string>? methods = null) => Base with
    {
        Data = new DataSpec(DataSpec.SyntheticSet, Train: 1000, Test: 100, Features: SweepSpecValidator.MaxSyntheticFeatures),
        Model = new ModelSpec(1, WidestModel(SweepSpecValidator.MaxSyntheticFeatures, 1, cells: 3)),
        Methods = methods ?? ["backprop"], LearningRates = learningRates, Packing = PackingMode.Lr,
    };

    internal static readonly double[] Lrs = [0.1, 0.01, 0.001, 1e-4, 1e-5];

    [Fact]
    public void Extension_PackCap_JudgesThePacksItsGenerationsForm_NotEveryLearningRateTogether()
    {
        SweepSpec Generation(int lrs) => PacksThree(Lrs[..lrs]);
        Assert.True(PackParameters(SweepSpecValidator.MaxSyntheticFeatures, Generation(1).Model.Width, 1, cells: 4) > PackSpecChecks.MaxPackParameters);

        // [a, b, c] + [d] packs {a, b, c} {d}; [a] + [b, c, d] {a} {b, c, d}; [a, b] + [c] + [d, e] {a, b} {c} {d, e}.
        Assert.Empty(SweepSpecValidator.Validate(Generation(4), earlier: [Generation(3)]));
        Assert.Empty(SweepSpecValidator.Validate(Generation(4), earlier: [Generation(1)]));
        Assert.Empty(SweepSpecValidator.Validate(Generation(5), earlier: [Generation(2), Generation(3)]));

        // A first submit packs all of them: refused as before.
        var first = Assert.Single(SweepSpecValidator.Validate(Generation(4)));
        Assert.Equal("model", first.Path);
        Assert.Contains(", 4 learning rates packed together,", first.Message, StringComparison.Ordinal);
        Assert.EndsWith("; make the model smaller or use packing: none", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extension_PackCap_RefusesAnAddedPackThatDoesNotFit()
    {
        // [a] + [b, c, d, e] packs {b, c, d, e}; a method added packs all of its learning rates together.
        var added = Assert.Single(SweepSpecValidator.Validate(PacksThree(Lrs), earlier: [PacksThree(Lrs[..1])]));
        var method = Assert.Single(SweepSpecValidator.Validate(PacksThree(Lrs[..4], ["backprop", "wt"]), earlier: [PacksThree(Lrs[..3])]));

        foreach (var error in new[] { added, method })
        {
            Assert.Equal("model", error.Path);
            Assert.Contains(", 4 learning rates packed together,", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("; an extension keeps the model and packing: add fewer learning rates at a time (an added method, " +
                "optimizer or seed packs all of its learning rates together), or choose a new name",
                error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_ForAnExtension_LeavesThePacksToTheSweep_ButStillJudgesOneCell()
    {
        string Yaml(int width, int lrs) =>
            $"name: wide\ndata: {{set: synthetic, train: 1000, test: 100, features: {SweepSpecValidator.MaxSyntheticFeatures}}}\n" +
            $"model: {{depth: 1, width: {width}}}\nmethods: [backprop]\noptimizers: [sgd]\nepochs: 1\npacking: lr\n" +
            $"learningRates: [{string.Join(", ", Lrs[..lrs].Select(SpecCanonical.Text))}]\n";
        var width = PacksThree(Lrs).Model.Width;
        var oneCell = WidestModel(SweepSpecValidator.MaxSyntheticFeatures, 1, cells: 1);

        Assert.Equal(4, SweepSpecParser.Parse(Yaml(width, 4), earlierUnknown: true).LearningRates.Count);
        var first = Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(Yaml(width, 4)));
        Assert.Contains(", 4 learning rates packed together,", Assert.Single(first.Errors).Message, StringComparison.Ordinal);
        Assert.Single(SweepSpecParser.Parse(Yaml(oneCell, 1), earlierUnknown: true).LearningRates);
        var tooWide = Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(Yaml(oneCell + 1, 4), earlierUnknown: true));
        Assert.EndsWith($"({SweepSpecValidator.MaxSyntheticFeatures} inputs, {SweepSpecValidator.Classes} classes) is " +
            $"{PackParameters(SweepSpecValidator.MaxSyntheticFeatures, oneCell + 1, 1, cells: 1):N0} weights and biases per pack, more than one " +
            $"pack's parameter tensor can hold ({PackSpecChecks.MaxPackParameters:N0}); make the model smaller", Assert.Single(tooWide.Errors).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticSet_IsBoundedByTheFloatsItHolds()
    {
        const int train = SweepSpecValidator.MaxSyntheticTrain, test = 1000;
        var features = (int)(SweepSpecValidator.MaxSyntheticFloats / (train + test));
        SweepSpec Spec(int f) => Base with { Data = new DataSpec(DataSpec.SyntheticSet, Train: train, Test: test, Features: f) };

        Assert.Empty(SweepSpecValidator.Validate(Spec(features)));
        var error = Assert.Single(SweepSpecValidator.Validate(Spec(features + 1)));
        Assert.Equal("data", error.Path);
        Assert.Contains($"is {(long)(train + test) * (features + 1):N0} floats, more than a synthetic set may hold " +
            $"({SweepSpecValidator.MaxSyntheticFloats:N0}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchSize_IsBoundedByTheLargestSet_NotByItsOwn()
    {
        // Larger than its own set is a full batch: the trainer takes it and the plan warns of it.
        Assert.Empty(SweepSpecValidator.Validate(Base with { BatchSize = Base.Data.Train + 1 }));
        Assert.Empty(SweepSpecValidator.Validate(Base with { BatchSize = SweepSpecValidator.MaxBatchSize }));
        foreach (var batch in new[] { SweepSpecValidator.MaxBatchSize + 1, int.MaxValue })
        {
            var error = Assert.Single(SweepSpecValidator.Validate(Base with { BatchSize = batch }));
            Assert.Equal("batchSize", error.Path);
            Assert.StartsWith($"must be at most {SweepSpecValidator.MaxBatchSize} (got {batch})", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ManyListItems_AreJudgedInLinearTime()
    {
        // 200,000 seeds and 50,000 unreadable ones: a pairwise duplicate scan, or a scan of every reported path for each
        // check, took minutes before the grid's size was judged.
        var yaml = "name: many\ndata: synthetic\nmethods: [wt]\noptimizers: [sgd]\nlearningRates: [0.1]\nepochs: 1\nseeds: ["
            + string.Join(", ", Enumerable.Range(0, 200_000).Select(i => i % 4 == 3 ? $"{i}, x" : $"{i}")) + "]\n";

        var parse = Task.Run(() => Assert.Throws<SpecValidationException>(() => SweepSpecParser.Parse(yaml)));
        Assert.Same(parse, await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(30))));

        var errors = (await parse).Errors;
        Assert.Equal(50_001, errors.Count);
        Assert.All(errors.SkipLast(1), e => Assert.Equal("expected an integer (got 'x')", e.Message));
        Assert.Equal("maxCells", errors[^1].Path);
        Assert.StartsWith("the grid has 250000 cells", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyLearningRates_AreJudgedInLinearTime()
    {
        // 200,000 distinct learning rates: the duplicate check's message was built for every rate from the rates before
        // it (1e10 comparisons) although none was a duplicate, and the grid's size was judged minutes later.
        var spec = Base with { LearningRates = [.. Enumerable.Range(1, 200_000).Select(i => (double)i)], Seeds = [0, 1] };

        var validate = Task.Run(() => SweepSpecValidator.Validate(spec));
        Assert.Same(validate, await Task.WhenAny(validate, Task.Delay(TimeSpan.FromSeconds(30))));

        var error = Assert.Single(await validate);
        Assert.Equal("maxCells", error.Path);
        Assert.StartsWith("the grid has 400000 cells", error.Message, StringComparison.Ordinal);
    }
}
