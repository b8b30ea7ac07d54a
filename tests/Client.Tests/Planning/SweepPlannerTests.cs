using GradGuessCluster.Client.Planning;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Tests.Planning;

/// <summary>The plan of a spec: its grid as the coordinator expands it, its schedule, its cost, and the warnings that
/// valid but doubtful settings get.</summary>
public sealed class SweepPlannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Synthetic(string extra = "", string packing = "lr", string lrs = "[1.0e-2, 1.0e-3, 1.0e-4]") => $"""
        name: planned
        data: {"{"} set: synthetic, train: 1000, test: 200, features: 20 {"}"}
        model: {"{"} depth: 2, width: 16 {"}"}
        methods: [backprop, directional]
        optimizers: [sgd, adamw]
        learningRates: {lrs}
        seeds: [0, 1]
        epochs: 6
        batchSize: 128
        packing: {packing}
        {extra}
        """;

    [Theory]
    [InlineData("lr", 8, 3)]
    [InlineData("none", 24, 1)]
    public void Grid_IsTheCoordinatorsExpansion(string packing, int packs, int packSize)
    {
        var spec = SweepSpecParser.Parse(Synthetic(packing: packing));
        var plan = SweepPlanner.Build(spec);
        var grid = SweepGrid.Expand(spec);

        Assert.Equal(grid.Cells.Count, plan.Grid.Cells);
        Assert.Equal(24, plan.Grid.Cells);                       // 2 methods × 2 optimizers × 3 learning rates × 2 seeds
        Assert.Equal(grid.Packs.Count, plan.Grid.Packs);
        Assert.Equal(packs, plan.Grid.Packs);
        Assert.Equal([new PlanPackSize(packSize, packs)], plan.Grid.PackSizes);
        Assert.Equal(packing, plan.Grid.Packing);
    }

    [Fact]
    public void Schedule_CountsStepsEvaluationsCheckpointsAndCosineSamples()
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic("evaluateEvery: 4\ncheckpointEvery: 4\ndiagnostics: { cosineEvery: 10 }")));
        var s = plan.Schedule;
        Assert.Equal(8, s.StepsPerEpoch);                        // 1000 / 128, the last batch short
        Assert.Equal(48, s.StepsPerCell);
        Assert.Equal(24 * 6, s.CellEpochs);
        Assert.Equal(2, s.EvaluationsPerCell);                   // epoch 4 and the last
        Assert.Equal(2, s.CheckpointsPerPack);
        Assert.Equal(5, s.CosineSamplesPerCell);                 // steps 0, 10, 20, 30, 40
        Assert.Equal("final train accuracy", s.Selection);
        Assert.Equal(20 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10, plan.Model.ParametersPerCell);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Cost_AddsUpThePacks_AndTheTimeIsTheirScheduleOnTheSlots()
    {
        var spec = SweepSpecParser.Parse(Synthetic());
        var time = new FlopRateEstimate(2);
        var packs = SweepGrid.Expand(spec).Packs.Count;
        var one = SweepPlanner.Build(spec, time, slots: 1).Cost;
        var four = SweepPlanner.Build(spec, time, slots: 4).Cost;
        var many = SweepPlanner.Build(spec, time, slots: 100).Cost;

        Assert.Equal(one.Flops / 2e9, one.Seconds!.Value, 9);
        Assert.InRange(four.Seconds!.Value, one.Seconds.Value / 4 * (1 - 1e-9), one.Seconds.Value / 2);   // at best, perfectly shared
        Assert.True(many.Seconds < four.Seconds);                                  // every pack at once: the longest one's time
        Assert.True(many.Seconds >= one.Seconds.Value / packs);
        Assert.Null(SweepPlanner.Build(spec).Cost.Seconds);
        Assert.Equal("at 2 GFLOP/s per slot (matmuls only)", one.Basis);
        // Packed by learning rate, directional's cells share a seed, so a pack computes layer 0's tangent once.
        Assert.True(one.FlopsPerCellEpoch["directional"] < one.FlopsPerCellEpoch["backprop"]);
        Assert.Equal(["backprop", "directional"], one.FlopsPerCellEpoch.Keys);
        // The largest pack is an AdamW one (two moments); the 4 SGD packs keep one buffer fewer: 778 floats a cell.
        Assert.Equal(8 * one.CheckpointBytesPerPack - 4 * (778 * 3 * sizeof(float)), one.CheckpointBytes);
    }

    [Fact]
    public void Extension_PlansOnlyTheAddedCells_InThePacksTheCoordinatorGivesThem()
    {
        var stored = SweepSpecParser.Parse(Synthetic());
        var grown = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1]"));
        var plan = SweepPlanner.Build(grown, new FlopRateEstimate(2), stored: stored);
        // The added learning rate alone: one cell per method × optimizer × seed, as the added cells' packs hold.
        var alone = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-1]")), new FlopRateEstimate(2));

        Assert.Equal((32L, 16), (plan.Grid.Cells, plan.Grid.Packs));   // the grown grid: 8 stored packs of 3, 8 added of 1
        Assert.Equal((8L, 8, 24L, 8), (plan.Grid.Extends!.AddedCells, plan.Grid.Extends.AddedPacks, plan.Grid.Extends.StoredCells, plan.Grid.Extends.StoredPacks));
        Assert.Equal([new PlanPackSize(1, 8)], plan.Grid.Extends.AddedPackSizes);
        Assert.Equal([new PlanPackSize(1, 8), new PlanPackSize(3, 8)], plan.Grid.PackSizes);
        Assert.Equal(8 * 6, plan.Schedule.CellEpochs);
        Assert.Equal(alone.Cost.Flops, plan.Cost.Flops, 6);
        Assert.Equal(alone.Cost.CheckpointBytes, plan.Cost.CheckpointBytes);
        Assert.Equal(alone.Cost.Seconds!.Value, plan.Cost.Seconds!.Value, 9);
        Assert.Contains("  extension    8 cells in 8 packs added to the stored 24 cells in 8 packs; the lines below are the added cells'",
            PlanView.Lines(plan));
        Assert.Null(SweepPlanner.Build(grown).Grid.Extends);
        Assert.Equal("this spec adds no cells to the stored sweep planned and raises no epochs: there is nothing to plan",
            Assert.ThrowsAny<Exception>(() => SweepPlanner.Build(stored, stored: stored)).Message);
        // A rate every row holds, moved into learningRates: the same cells, and the way to store the new listing.
        var rows = stored with { RowRates = [.. from m in stored.Methods from o in stored.Optimizers select new RowLearningRates(m, o, [7.7e-4])] };
        Assert.EndsWith("there is nothing to plan (it lists the same cells' learning rates otherwise: --extend stores it, training nothing)",
            Assert.ThrowsAny<Exception>(() => SweepPlanner.Build(stored with { LearningRates = [.. stored.LearningRates, 7.7e-4] }, stored: rows)).Message);
    }

    [Fact]
    public void Extension_OfASweepThatGrewBefore_CountsItsPacksAsTheyGrew()
    {
        // g1 [a, b] → g2 [a, b, c] (stored), planning g3 [a, b, c, d]: each generation's added learning rate packs alone.
        var g1 = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3]"));
        var g2 = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3, 1.0e-4]"));
        var g3 = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3, 1.0e-4, 1.0e-1]"));
        var storedGrid = SweepGrid.Expand(g2, [g1]);            // as the coordinator holds the stored sweep
        var grownGrid = SweepGrid.Expand(g3, [g1, g2]);          // and as it would extend it

        var plan = SweepPlanner.Build(g3, stored: g2, storedEarlier: [g1]);

        Assert.Equal(storedGrid.Packs.Count, plan.Grid.Extends!.StoredPacks);
        Assert.Equal(grownGrid.Packs.Count, plan.Grid.Packs);
        Assert.Equal((16, 24), (plan.Grid.Extends.StoredPacks, plan.Grid.Packs));   // 8 × [a, b], 8 × [c], 8 × [d]
        Assert.Equal((8L, 8), (plan.Grid.Extends.AddedCells, plan.Grid.Extends.AddedPacks));
        Assert.Equal([new PlanPackSize(1, 16), new PlanPackSize(2, 8)], plan.Grid.PackSizes);
        Assert.Contains("  extension    8 cells in 8 packs added to the stored 24 cells in 16 packs; the lines below are the added cells'",
            PlanView.Lines(plan));
    }

    [Fact]
    public void TheModelLine_SaysAnInitScale_OnlyWhereSet()
    {
        var scaled = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic().Replace("width: 16 }", "width: 16, initScale: 0.1 }")));
        Assert.Equal(0.1, scaled.Model.InitScale);
        Assert.Contains("  model        ReLU MLP 20 → 2 × 16 → 10, 778 parameters per cell, initialised at 0.1 × PyTorch's default", PlanView.Lines(scaled));
        Assert.DoesNotContain(PlanView.Lines(SweepPlanner.Build(SweepSpecParser.Parse(Synthetic()))), l => l.Contains("initialised"));
    }

    [Theory]
    [InlineData("[backprop, directional]", "", "one per step")]
    [InlineData("[wt, downstream, backprop]", "", "one per step; all layers' in one tangent pass; normalised per example for downstream, not for wt (each method's default)")]
    [InlineData("[wt, downstream]", "estimator: { guesses: 4, onePass: false, normalise: true }",
        "4 per step, averaged; one tangent pass per layer; normalised per example (estimator.normalise)")]
    [InlineData("[activation-mixing]", "estimator: { normalise: false }", "one per step; all layers' in one tangent pass; not normalised (estimator.normalise)")]
    [InlineData("[wt, activation-perturbation]", "", "one per step; all layers' in one tangent pass; not normalised (each method's default)")]
    [InlineData("[wt, downstream, activation-mixing, activation-perturbation]", "estimator: { onePass: true }",
        "one per step; all layers' in one tangent pass; normalised per example for downstream and activation-mixing, not for wt and activation-perturbation (each method's default)")]
    public void TheGuessesLine_SaysHowTheGridsMethodsReadTheEstimatorBlock(string methods, string estimator, string expected)
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(estimator).Replace("[backprop, directional]", methods)));
        Assert.Contains("  guesses      " + expected, PlanView.Lines(plan));
    }

    [Fact]
    public void TheGuessesLine_IsLeftOut_WhereNoMethodGuesses()
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic().Replace("[backprop, directional]", "[backprop, matched-noise@0.2]")));
        Assert.Null(plan.Guesses);
        Assert.DoesNotContain(PlanView.Lines(plan), l => l.Contains("guesses"));
    }

    [Fact]
    public void Extension_AddingAMethodAndALearningRate_GivesPacksOfSeveralSizes_AndThePlanSaysEach()
    {
        var stored = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3]").Replace("methods: [backprop, directional]", "methods: [backprop]"));
        var grown = SweepSpecParser.Parse(Synthetic());
        var expected = SweepGrid.Expand(grown, [stored]).Packs.Where(p => !SweepGrid.Expand(stored).CellsById.ContainsKey(p.Cells[0].CellId)).ToList();

        var plan = SweepPlanner.Build(grown, stored: stored);
        var lines = PlanView.Lines(plan).ToList();

        // Added: backprop's new learning rate alone (1 cell a pack), directional's three together (3 cells a pack).
        Assert.Equal(expected.GroupBy(p => p.Cells.Count).OrderBy(g => g.Key).Select(g => new PlanPackSize(g.Key, g.Count())),
            plan.Grid.Extends!.AddedPackSizes);
        Assert.Equal([new PlanPackSize(1, 4), new PlanPackSize(3, 4)], plan.Grid.Extends.AddedPackSizes);
        Assert.Equal([new PlanPackSize(1, 4), new PlanPackSize(2, 4), new PlanPackSize(3, 4)], plan.Grid.PackSizes);
        Assert.Contains(lines, l => l.EndsWith("= 24 cells in 12 packs of 1–3 cells (4 of 1, 4 of 2, 4 of 3; packing: lr)", StringComparison.Ordinal));
        Assert.Contains("  extension    16 cells in 8 packs of 1–3 cells (4 of 1, 4 of 3) added to the stored 8 cells in 4 packs; " +
                        "the lines below are the added cells'", lines);
    }

    [Fact]
    public void FlopsPerCellEpoch_OfPacksOfSeveralSizes_IsOverAllTheirCells()
    {
        // One method, optimizer and learning-rate grid: added are [c] for seed 0 (1 cell) and [a, b, c] for seed 1 (3 cells),
        // and directional's cells in one pack share layer 0's tangent, so a cell of the larger pack costs less.
        string Spec(string lrs, string seeds) => Synthetic(lrs: lrs).Replace("methods: [backprop, directional]", "methods: [directional]")
            .Replace("optimizers: [sgd, adamw]", "optimizers: [sgd]").Replace("seeds: [0, 1]", $"seeds: {seeds}");
        var stored = SweepSpecParser.Parse(Spec("[1.0e-2, 1.0e-3]", "[0]"));
        var grown = SweepSpecParser.Parse(Spec("[1.0e-2, 1.0e-3, 1.0e-4]", "[0, 1]"));
        var one = SweepPlanner.Build(SweepSpecParser.Parse(Spec("[1.0e-4]", "[0]"))).Cost.FlopsPerCellEpoch["directional"];
        var three = SweepPlanner.Build(SweepSpecParser.Parse(Spec("[1.0e-2, 1.0e-3, 1.0e-4]", "[1]"))).Cost.FlopsPerCellEpoch["directional"];

        var plan = SweepPlanner.Build(grown, stored: stored);

        Assert.Equal([new PlanPackSize(1, 1), new PlanPackSize(3, 1)], plan.Grid.Extends!.AddedPackSizes);
        Assert.True(three < one);
        Assert.Equal((one + 3 * three) / 4, plan.Cost.FlopsPerCellEpoch["directional"], 6);
    }

    [Theory]
    [InlineData(new[] { 3.0, 1, 1, 1 }, 1, 6.0)]
    [InlineData(new[] { 3.0, 1, 1, 1 }, 2, 3.0)]          // slot 2 takes the three short packs while slot 1 runs the long one
    [InlineData(new[] { 1.0, 1, 1, 3 }, 2, 4.0)]          // grid order: the long pack comes last and starts at 1
    [InlineData(new[] { 2.0, 2 }, 8, 2.0)]
    public void Makespan_AdmitsPacksInGridOrderToTheFirstFreeSlot(double[] packs, int slots, double makespan) =>
        Assert.Equal(makespan, SlotSchedule.Makespan(packs, slots));

    [Fact]
    public void Measured_TimesEachPackConfigurationOnce_AsManyAtOnceAsPacksWouldRun()
    {
        var spec = SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-2, 1.0e-3]").Replace("seeds: [0, 1]", "seeds: [0, 1, 2]"));
        var measured = new List<string>();
        var time = new MeasuredEstimate(threads: 1, steps: 2, TorchSharp.torch.CPU, CancellationToken.None) { Measuring = p => measured.Add($"{p.Estimator.Kind} {p.Cells[0].Optimizer.Kind}") };
        var plan = SweepPlanner.Build(spec, time, slots: 2);

        Assert.Equal(4, measured.Count);                       // 2 methods × 2 optimizers; 3 seeds each cost the same
        Assert.Equal(4, time.Speeds.Count);
        Assert.All(time.Speeds.Values, s => Assert.True(s.SecondsPerStep > 0 && s.EvalSecondsPerExample > 0, s.ToString()));
        Assert.All(time.Speeds.Values, s => Assert.Equal(2, s.Steps));
        Assert.True(plan.Cost.Seconds > 0);
        Assert.Equal("measured here: 2 steps of each pack configuration, 2 at once on the CPU, 1 thread per slot", plan.Cost.Basis);
    }

    [Fact]
    public void Measured_ACancelledPlanStops()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var time = new MeasuredEstimate(threads: 1, steps: 2, TorchSharp.torch.CPU, cancel.Token);
        Assert.ThrowsAny<OperationCanceledException>(() => SweepPlanner.Build(SweepSpecParser.Parse(Synthetic()), time));
    }

    [Theory]
    [InlineData("batchSize: 4096", "batchSize 4,096 is more than the 1,000 training examples")]
    [InlineData("evaluateEvery: 10", "only the last epoch is evaluated")]
    [InlineData("diagnostics: { cosineEvery: 1000 }", "only its first step is sampled")]
    public void DoubtfulSettings_AreWarnedOf(string setting, string warning)
    {
        var yaml = Synthetic(setting);
        if (setting.StartsWith("batchSize", StringComparison.Ordinal)) yaml = yaml.Replace("batchSize: 128\n", "");
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(yaml));
        Assert.Contains(warning, Assert.Single(plan.Warnings));
    }

    [Theory]
    [InlineData(6, 1, 1, null)]
    [InlineData(6, 1, 2, "averages epochs 5–6, the last 33 % of the run")]
    [InlineData(20, 1, 5, null)]                      // epochs 16-20: the last quarter
    [InlineData(20, 1, 6, "averages epochs 15–20, the last 30 % of the run")]
    [InlineData(100, 5, 10, "averages epochs 55–100, the last 46 % of the run")]
    [InlineData(23, 5, 2, null)]                      // 20 and the last, 23: 17 %
    [InlineData(23, 5, 3, "averages epochs 15–23, the last 39 % of the run")]
    [InlineData(20, 1, 10, null, "best")]             // the best run of evaluations anywhere: no trend read in
    public void ASelectionWindowOverMoreThanTheLastQuarter_IsWarnedOf(int epochs, int every, int window, string? warning, string at = "final")
    {
        var yaml = Synthetic($"evaluateEvery: {every}\nselection: {{ at: {at}, window: {window} }}").Replace("epochs: 6", $"epochs: {epochs}");
        var warned = SweepPlanner.Build(SweepSpecParser.Parse(yaml)).Warnings.Where(w => w.StartsWith("selection.window", StringComparison.Ordinal)).ToList();
        if (warning is null) Assert.Empty(warned);
        else Assert.Contains(warning, Assert.Single(warned));
    }

    [Theory]
    [InlineData("", "the best learning rate per method × optimizer by final train accuracy")]
    [InlineData("selection: { at: best }", "the best learning rate per method × optimizer by best train accuracy")]
    [InlineData("selection: { metric: testAccuracy, window: 3 }",
        "the best learning rate per method × optimizer by test accuracy averaged over the last 3 evaluations")]
    [InlineData("selection: { at: best, window: 2 }",
        "the best learning rate per method × optimizer by best train accuracy averaged over 2 consecutive evaluations")]
    public void ThePlan_StatesTheSelectionRule_AsTheResultsTitleDoes(string selection, string expected) =>
        Assert.Contains("  selection    " + expected, PlanView.Lines(SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(selection)))));

    [Theory]
    [InlineData(20, 20, true)]
    [InlineData(20, 19, false)]
    [InlineData(6, 10, false)]      // the default interval over a short sweep: a restart costs little
    public void CheckpointOnlyAtTheEndOfALongRun_IsWarnedOf(int epochs, int checkpointEvery, bool warned)
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic($"checkpointEvery: {checkpointEvery}").Replace("epochs: 6", $"epochs: {epochs}")));
        Assert.Equal(warned, plan.Warnings.Any(w => w.Contains("the only checkpoint is the last", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("none", true, true)]
    [InlineData("lr", true, false)]
    [InlineData("none", false, false)]    // on CPU slots a pack gains little (docs/BENCHMARKS.md): no advice
    public void NoPackingOnGpuSlots_IsWarnedOf(string packing, bool onGpu, bool warned)
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(packing: packing)), new TimeOnSlots(onGpu));
        Assert.Equal(warned, plan.Warnings.Any(w => w.StartsWith("packing: none on GPU slots", StringComparison.Ordinal)
                                                    && w.Contains("packing: lr would train the 3 learning rates", StringComparison.Ordinal)));
    }

    /// <summary>An estimate that says where it timed the packs (what the warning reads) and gives them a second each.</summary>
    private sealed class TimeOnSlots(bool onGpu) : IPackTimeEstimate
    {
        public string Basis => "test";
        public double Seconds(PackWorkload pack, int atOnce) => 1;
        public bool OnGpu => onGpu;
    }

    [Theory]
    [InlineData("estimator: { normalise: true }", "estimator.normalise: no method of the grid reads it (activation-perturbation, masked-perturbation, wt, downstream and activation-mixing do)")]
    [InlineData("estimator: { onePass: false }", "estimator.onePass: no method of the grid reads it (activation-perturbation, masked-perturbation, wt, downstream and activation-mixing do)")]
    [InlineData("estimator: { matchedCosine: 0.5 }", "estimator.matchedCosine: no method of the grid reads it (only matched-noise does; matched-noise@C has its own)")]
    [InlineData("optimizer: { clipThreshold: 2.0 }", "optimizer.clipThreshold: no optimizer of the grid reads it (only stable-adamw does)")]
    [InlineData("estimator: { guesses: 4, onePass: true }", null)]                    // directional draws guesses; onePass as its default
    [InlineData("optimizer: { momentum: 0.9, beta1: 0.8, weightDecay: 0.1 }", null)]   // sgd, adamw, both
    public void SettingsNoMethodOrOptimizerOfTheGridReads_AreWarnedOf(string setting, string? warning)
    {
        // Trained as if absent, yet in every cell's id: compare then called two sweeps that trained alike different.
        var warnings = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(setting))).Warnings;
        if (warning is null) Assert.Empty(warnings);
        else Assert.Equal(warning + "; it changes the cells' ids, not their training", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("[matched-noise@0.2, matched-noise@0.05]", true)]   // each has its own cosine
    [InlineData("[matched-noise, matched-noise@0.2]", false)]        // the plain one reads it
    public void MatchedCosine_IsReadByAPlainMatchedNoiseOnly(string methods, bool warned)
    {
        var plan = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic("estimator: { matchedCosine: 0.5 }").Replace("[backprop, directional]", methods)));

        Assert.Equal(warned, plan.Warnings.Any(w => w.StartsWith("estimator.matchedCosine: no method of the grid reads it", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("initScale: 0.01", "[sgd, adamw, stable-adamw]", "onePass: false", "wt", "adamw and stable-adamw")]
    [InlineData("initScale: 0.01", "[sgd, adamw]", "onePass: false }\noptimizer: { epsilon: 1.0e-6", "wt", "adamw")]
    [InlineData("initScale: 0.01", "[sgd, adamw]", "onePass: false, normalise: false", "wt, downstream, activation-mixing", "adamw")]
    [InlineData("initScale: 0.01", "[adamw]", "onePass: false }\noptimizer: { epsilon: 1.0e-12", null, null)]   // a small ε trains it
    [InlineData("initScale: 0.01", "[adamw]", "onePass: false, normalise: false }\noptimizer: { epsilon: 1.0e-12", "activation-mixing", "adamw")]
    [InlineData("initScale: 0.01", "[adamw]", "onePass: false, normalise: true", null, null)]
    [InlineData("initScale: 0.01", "[adamw]", "onePass: true", null, null)]                     // the output layer's term moves them
    [InlineData("initScale: 0.01", "[sgd]", "onePass: false", null, null)]
    [InlineData("initScale: 0.1", "[adamw]", "onePass: false", null, null)]
    public void PerLayerGuessesSizedByTheWeights_NearTheOrigin_UnderAnAdamVariant_AreWarnedOf(string scale, string optimizers, string estimator,
        string? methods, string? under)
    {
        var yaml = Synthetic($"estimator: {{ {estimator} }}").Replace("model: { depth: 2, width: 16 }", $"model: {{ depth: 3, width: 16, {scale} }}")
            .Replace("[backprop, directional]", "[wt, downstream, activation-perturbation, activation-mixing]").Replace("[sgd, adamw]", optimizers);
        var warnings = SweepPlanner.Build(SweepSpecParser.Parse(yaml)).Warnings;
        if (methods is null) Assert.Empty(warnings);
        else Assert.Equal($"{methods} with one tangent pass per layer (estimator.onePass: false), unnormalised, from model.initScale 0.01 at depth 3: " +
                          $"under {under} the hidden layers' updates fall below the optimizer's epsilon and these cells may stay at chance; " +
                          "estimator.normalise: true or one pass trains them, and so does a far smaller optimizer.epsilon (docs/STUDY.md, \"One tangent pass or one per layer\")",
                          Assert.Single(warnings));
    }

    [Theory]
    [InlineData("[matched-noise, matched-noise@0.1]", "", "matched-noise (estimator.matchedCosine 0.1) and matched-noise@0.1")]   // 0.1 unless given
    [InlineData("[matched-noise@0.05, matched-noise, matched-noise@0.2]", "estimator: { matchedCosine: 0.2 }", "matched-noise (estimator.matchedCosine 0.2) and matched-noise@0.2")]
    [InlineData("[matched-noise, matched-noise@0.2]", "", null)]                   // two cosines
    [InlineData("[matched-noise@0.1, matched-noise@0.2]", "", null)]               // no plain oracle
    public void TheOracleUnderTwoNames_IsWarnedOf(string methods, string extra, string? pair)
    {
        var warnings = SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(extra).Replace("[backprop, directional]", methods))).Warnings;
        if (pair is null) Assert.Empty(warnings);
        else Assert.Equal($"methods: {pair} are the same oracle: the grid trains their cells twice, alike, under two names; drop one", Assert.Single(warnings));
    }

    [Fact]
    public void GuessesWithoutAGuessingMethod_AndMomentumWithoutSgd_AreWarnedOf()
    {
        var yaml = Synthetic("estimator: { guesses: 8 }\noptimizer: { momentum: 0.9 }").Replace("[backprop, directional]", "[backprop]").Replace("[sgd, adamw]", "[adamw]");
        Assert.Equal([
            "estimator.guesses: no method of the grid reads it (backprop and matched-noise draw no guess); it changes the cells' ids, not their training",
            "optimizer.momentum: no optimizer of the grid reads it (only sgd does); it changes the cells' ids, not their training",
        ], SweepPlanner.Build(SweepSpecParser.Parse(yaml)).Warnings);
    }

    [Fact]
    public void OneLearningRate_IsWarnedOf() =>
        Assert.Contains("nothing to choose between", Assert.Single(SweepPlanner.Build(SweepSpecParser.Parse(Synthetic(lrs: "[1.0e-3]"))).Warnings));

    [Fact]
    public void DataMissingHere_IsPlannedWithPublishedSizesAndWarnedOf()
    {
        var spec = SweepSpecParser.Parse(Synthetic().Replace("set: synthetic, train: 1000, test: 200, features: 20", $"set: cifar10, dir: {_dir}"));
        var plan = SweepPlanner.Build(spec);

        Assert.False(plan.Data.Found);
        Assert.Equal((50_000L, 10_000L, 3072), (plan.Data.Train, plan.Data.Test, plan.Data.Features));
        Assert.Contains("data_batch_1.bin", plan.Data.Problem);
        Assert.Contains("cannot be read here", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void RealDataHere_IsReadFromItsHeaders()
    {
        var spec = SweepSpecParser.Parse(Synthetic().Replace("set: synthetic, train: 1000, test: 200, features: 20", "set: fashion-mnist"));
        var plan = SweepPlanner.Build(spec);

        Assert.True(plan.Data.Found, plan.Data.Problem);
        Assert.Equal((60_000L, 10_000L, 784, 10), (plan.Data.Train, plan.Data.Test, plan.Data.Features, plan.Data.Classes));
        Assert.Equal(469, plan.Schedule.StepsPerEpoch);
    }

    [Fact]
    public void CorruptDataFile_IsNamedInTheWarning()
    {
        // A Fashion-MNIST directory whose training images stop inside their header.
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(_dir, name), [0, 0, 8, 3, 0, 0]);
        var spec = SweepSpecParser.Parse(Synthetic().Replace("set: synthetic, train: 1000, test: 200, features: 20", $"set: fashion-mnist, dir: {_dir}"));
        var plan = SweepPlanner.Build(spec);

        Assert.False(plan.Data.Found);
        Assert.Contains("idx1-ubyte", plan.Data.Problem);     // the labels are read first
        Assert.Contains("truncated", plan.Data.Problem);
    }
}
