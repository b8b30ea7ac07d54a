using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Planning;

/// <summary>Works out a validated spec's <see cref="SweepPlan"/> from the same grid expansion and pack specs the
/// coordinator and the training grains use, and the training core's own workload figures.</summary>
internal static class SweepPlanner
{
    /// <param name="time">Times each pack's run on one slot, for a time estimate (null: none).</param>
    /// <param name="stored">The stored spec that <paramref name="spec"/> extends (<c>plan --extend</c>): then everything
    /// but the grid line is about the added cells, packed as the coordinator packs them (among themselves).</param>
    /// <param name="storedEarlier">The specs the stored sweep had before <paramref name="stored"/>, oldest first (null if it
    /// never grew; <see cref="SweepGrowth.Before"/> reads them from its registry entry): its cells are packed as they grew,
    /// as the coordinator packs them, or a sweep extended before would count its stored packs wrong.</param>
    /// <param name="grewFrom">Without <paramref name="stored"/>: the specs a stored sweep had before <paramref name="spec"/>,
    /// oldest first, for a plan of the whole sweep with its packs as they grew (<c>local</c>'s checks of a resumed sweep).</param>
    public static SweepPlan Build(SweepSpec spec, IPackTimeEstimate? time = null, int slots = 1, SweepSpec? stored = null,
        IReadOnlyList<SweepSpec>? storedEarlier = null, IReadOnlyList<SweepSpec>? grewFrom = null)
    {
        var (shape, problem) = DataSetCheck.Inspect(spec.Data);
        // Without the files here (a cluster's silos may hold them), the real sets still have their published sizes.
        var sizes = shape ?? DataShape.Published(spec.Data.Set)
            ?? throw new InvalidOperationException($"no sizes for data set '{spec.Data.Set}': {problem}");
        if (stored is null && storedEarlier is { Count: > 0 }) throw new ArgumentException("earlier specs without the stored one", nameof(storedEarlier));
        if (stored is not null && grewFrom is not null) throw new ArgumentException("a plan of added cells or of a grown sweep, not both", nameof(grewFrom));
        var grid = SweepGrid.Expand(spec, stored is null ? grewFrom : [.. storedEarlier ?? [], stored]);
        var storedGrid = stored is null ? null : SweepGrid.Expand(stored, storedEarlier);
        var planned = storedGrid is null ? grid.Packs : grid.Packs.Where(p => !storedGrid.CellsById.ContainsKey(p.Cells[0].CellId)).ToList();
        if (planned.Count == 0) throw new UsageException($"this spec adds no cells to the stored sweep {spec.Name}: there is nothing to plan");
        var packs = planned.Select(p => new PackWorkload(PackSpecBuilder.Build(p.ToWork(spec, incarnation: null)), sizes)).ToArray();
        var cellCount = planned.Sum(p => p.Cells.Count);
        // Every pack has the same model, batch and schedule; not always the same number of cells (a sweep that grew, or
        // an extension that adds a method and a learning rate at once, has packs of several sizes).
        var first = packs[0];

        var data = new PlanData(spec.Data.Set, spec.Data.IsSynthetic ? null : DataLocations.DirectoryOf(DataSetCheck.ToSource(spec.Data)),
            shape is not null, problem, sizes.TrainCount, sizes.TestCount, sizes.Features, sizes.Classes);
        var model = new PlanModel(sizes.Features, spec.Model.Depth, spec.Model.Width, sizes.Classes, first.Shape.ParameterCount, spec.Model.InitScale);
        var planGrid = new PlanGrid(spec.Methods, spec.Optimizers, spec.LearningRates, spec.Seeds, grid.Cells.Count, grid.Packs.Count,
            PackSizes(grid.Packs), spec.Packing == PackingMode.Lr ? "lr" : "none",
            storedGrid is null ? null : new PlanExtension(cellCount, planned.Count, storedGrid.Cells.Count, storedGrid.Packs.Count, PackSizes(planned)));
        var schedule = new PlanSchedule(spec.Epochs, spec.BatchSize, first.StepsPerEpoch, first.Steps, (long)cellCount * spec.Epochs,
            spec.EvaluateEvery, first.Evaluations, spec.CheckpointEvery, PackWorkload.EveryAndLast(spec.Epochs, spec.CheckpointEvery),
            spec.DiagnosticsOrDefault.CosineEvery, first.CosineSamples, spec.DiagnosticsOrDefault.EffectiveRank,
            ResultsTable.Rule(spec.SelectionOrDefault));

        // Over all of a method's packs: a pack's cells may share work (directional's tangent), so its size changes the figure.
        var perMethod = planned.Zip(packs).GroupBy(x => x.First.Cells[0].Config.Method, x => x.Second)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.TrainFlopsPerEpoch) / g.Sum(p => p.Spec.PackSize));
        int atOnce = Math.Min(slots, packs.Length);
        double? seconds = time is null ? null : SlotSchedule.Makespan(packs.Select(p => time.Seconds(p, atOnce)), slots);
        var curveBytes = CurveFootprint.BytesPerCell(first);
        var cost = new PlanCost(packs.Sum(p => p.TotalFlops), perMethod, packs.Max(p => p.CheckpointBytes), packs.Sum(p => p.CheckpointBytes),
            curveBytes, curveBytes * cellCount,
            packs.Max(p => p.TrainingStateBytes(spec.CheckpointEvery)), seconds, slots, time?.Basis, time?.Measured.ToArray() ?? []);

        return new SweepPlan(spec.Name, data, model, planGrid, Guesses(spec), schedule, cost, PlanWarnings.For(spec, data, schedule, onGpu: time?.OnGpu ?? false));
    }

    /// <summary>The estimator block as the grid's methods read it; null when none draws a guess (backprop, matched-noise).</summary>
    private static PlanGuesses? Guesses(SweepSpec spec)
    {
        var est = spec.EstimatorOrDefault;
        var guessing = GridKinds.Methods(spec).Where(m => m.Kind.Guesses()).ToList();
        if (guessing.Count == 0) return null;
        var activation = guessing.Where(m => m.Kind.ActivationSpace()).ToList();
        var normalised = activation.ToLookup(m => new EstimatorSettings(m.Kind, Normalise: est.Normalise).NormaliseEffective, m => m.Name);
        return new PlanGuesses(est.Guesses, activation.Count > 0 ? est.OnePass : null, [.. normalised[true]], [.. normalised[false]],
            est.Normalise is not null);
    }

    /// <summary>How many of <paramref name="packs"/> hold each number of cells, fewest cells first.</summary>
    private static IReadOnlyList<PlanPackSize> PackSizes(IEnumerable<GridPack> packs) =>
        [.. packs.GroupBy(p => p.Cells.Count).OrderBy(g => g.Key).Select(g => new PlanPackSize(g.Key, g.Count()))];
}
