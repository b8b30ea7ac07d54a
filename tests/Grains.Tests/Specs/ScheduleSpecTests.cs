using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>A spec's learning-rate schedule (<c>optimizer.schedule</c>, <c>optimizer.warmupEpochs</c>): read, written,
/// validated, hashed into the cells' ids, carried to every cell, and kept from a raise of the epochs it anneals over.</summary>
public sealed class ScheduleSpecTests
{
    private static readonly SweepSpec Base = TestSpecs.Small("sched", [0.1, 0.01], epochs: 10, packing: PackingMode.Lr);

    private static SweepSpec With(string? schedule, int? warmup = null, SweepSpec? spec = null) =>
        (spec ?? Base) with { Optimizer = new OptimizerSpec(Schedule: schedule, WarmupEpochs: warmup) };

    [Fact]
    public void TheSchedule_IsReadAndWrittenBack()
    {
        var spec = SweepSpecParser.Parse("name: s\ndata: synthetic\nmethods: [wt]\noptimizers: [adamw]\nlearningRates: [0.1]\nepochs: 10\n" +
                                         "optimizer: { schedule: cosine, warmupEpochs: 2 }\n");
        Assert.Equal(new OptimizerSpec(Schedule: "cosine", WarmupEpochs: 2), spec.Optimizer);
        var yaml = SweepSpecWriter.Write(spec);
        Assert.Contains("optimizer: { schedule: cosine, warmupEpochs: 2 }\n", yaml);
        Assert.Equal(spec.Optimizer, SweepSpecParser.Parse(yaml).Optimizer);
    }

    [Theory]
    [InlineData("linear", null, "optimizer.schedule", "unknown schedule 'linear' (known: constant, cosine; constant is the default)")]
    [InlineData("cosine", -1, "optimizer.warmupEpochs", "must be >= 0 (got -1)")]
    [InlineData("cosine", 10, "optimizer.warmupEpochs", "must be fewer than epochs (10), or no epoch trains at the full learning rate (got 10)")]
    [InlineData(null, 12, "optimizer.warmupEpochs", "must be fewer than epochs (10)")]
    public void ABadSchedule_IsRefusedNamingItsField(string? schedule, int? warmup, string path, string problem)
    {
        var error = Assert.Single(SweepSpecValidator.Validate(With(schedule, warmup)));
        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void AnEpochsRateThatIsZeroInFloat32_IsRefusedNamingTheEpoch()
    {
        var warm = Assert.Single(SweepSpecValidator.Validate(With(null, 9) with { LearningRates = [2e-45] }));
        Assert.Equal("optimizer.warmupEpochs", warm.Path);
        Assert.Contains("makes epoch 1's learning rate 2e-46 (2E-45 × 0.1), 0 in float32", warm.Message);
        var last = Assert.Single(SweepSpecValidator.Validate(With("cosine", spec: Base with { Epochs = 1000, LearningRates = [1e-40] })));
        Assert.Equal("optimizer.schedule", last.Path);
        Assert.Contains("makes epoch 1000's learning rate", last.Message);
        Assert.Empty(SweepSpecValidator.Validate(With("cosine", 9)));
    }

    [Fact]
    public void TheDefaultSpelledOut_IsTheSweepWithout_AndACosineOrAWarmUpIsAnother()
    {
        var ids = SweepGrid.Expand(Base).Cells.Select(c => c.CellId).ToList();
        Assert.Equal(ids, SweepGrid.Expand(With("constant", 0)).Cells.Select(c => c.CellId));
        Assert.Empty(SpecCanonical.Differences(Base, With("constant", 0)));
        Assert.Empty(ids.Intersect(SweepGrid.Expand(With("cosine")).Cells.Select(c => c.CellId)));
        Assert.Empty(ids.Intersect(SweepGrid.Expand(With(null, 2)).Cells.Select(c => c.CellId)));
        var said = Assert.Single(SpecCanonical.Differences(Base, With("cosine")));
        Assert.Equal(("optimizer.schedule", "stored constant (unset), submitted cosine"), (said.Path, said.Message));
    }

    [Fact]
    public void EveryCell_TrainsTheSpecsSchedule_AnnealedOverItsEpochs()
    {
        var spec = With("cosine", 2) with { Optimizers = ["sgd", "adamw", "stable-adamw"] };
        var cells = SweepGrid.Expand(spec).Packs.SelectMany(p => PackSpecBuilder.Build(p.ToWork(spec, null)).Cells).ToList();
        Assert.Equal(6, cells.Count);
        Assert.All(cells, c => Assert.Equal(new LrSchedule(ScheduleKind.Cosine, 2, 10), c.Optimizer.Schedule));
        var warm = With(null, 3);
        Assert.All(SweepGrid.Expand(warm).Packs.SelectMany(p => PackSpecBuilder.Build(p.ToWork(warm, null)).Cells),
            c => Assert.Equal(new LrSchedule(ScheduleKind.Constant, 3), c.Optimizer.Schedule));
        Assert.All(SweepGrid.Expand(Base).Packs.SelectMany(p => PackSpecBuilder.Build(p.ToWork(Base, null)).Cells), c => Assert.Null(c.Optimizer.Schedule));
        Assert.Equal(LrSchedule.Names, SpecNames.Schedules);
    }

    [Fact]
    public void RaisingTheEpochs_OfACosineSweep_IsNoExtension_ButOfAWarmUpOnlyOneIs()
    {
        var cosine = With("cosine", 1);
        var obstacle = Assert.Single(SpecExtension.Obstacles(cosine, cosine with { Epochs = 20 }));
        Assert.Equal("epochs", obstacle.Path);
        Assert.Contains("its cosine schedule anneals the rate over the stored epochs", obstacle.Message);
        var warm = With(null, 1);
        Assert.Empty(SpecExtension.Obstacles(warm, warm with { Epochs = 20 }));
        Assert.Empty(SpecExtension.Obstacles(cosine, cosine with { LearningRates = [0.1, 0.01, 1.0] }));   // other axes still grow
    }
}
