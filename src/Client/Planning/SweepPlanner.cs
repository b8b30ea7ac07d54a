using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
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
    /// <param name="stored">The stored spec that <paramref name="spec"/> extends (<c>plan --extend</c>): then the totals
    /// (cell-epochs, checkpoints, curves, work, time) are what the extension trains: the added cells, packed as the
    /// coordinator packs them (among themselves), and where it raises epochs the stored cells' extra epochs.</param>
    /// <param name="storedEarlier">The specs the stored sweep had before <paramref name="stored"/>, oldest first (null if it
    /// never grew; <see cref="SweepGrowth.Before"/> reads them from its registry entry): its cells are packed as they grew,
    /// as the coordinator packs them, or a sweep extended before would count its stored packs wrong.</param>
    /// <param name="grewFrom">Without <paramref name="stored"/>: the specs a stored sweep had before <paramref name="spec"/>,
    /// oldest first, for a plan of the whole sweep with its packs as they grew (<c>local</c>'s checks of a resumed sweep).</param>
    /// <param name="completed">With <paramref name="stored"/>: its cells that completed, which a raise of the epochs trains on
    /// (diverged cells do not; failed and cancelled ones wait for a resume); null where unknown: then every stored cell.</param>
    public static SweepPlan Build(SweepSpec spec, IPackTimeEstimate? time = null, int slots = 1, SweepSpec? stored = null,
        IReadOnlyList<SweepSpec>? storedEarlier = null, IReadOnlyList<SweepSpec>? grewFrom = null, IReadOnlySet<string>? completed = null)
    {
        var (shape, problem) = DataSetCheck.Inspect(spec.Data);
        // Without the files here (a cluster's silos may hold them), the real sets still have their published sizes.
        var sizes = shape ?? DataShape.Published(spec.Data.Set)
            ?? throw new InvalidOperationException($"no sizes for data set '{spec.Data.Set}': {problem}");
        if (stored is null && storedEarlier is { Count: > 0 }) throw new ArgumentException("earlier specs without the stored one", nameof(storedEarlier));
        if (stored is not null && grewFrom is not null) throw new ArgumentException("a plan of added cells or of a grown sweep, not both", nameof(grewFrom));
        var grid = SweepGrid.Expand(spec, stored is null ? grewFrom : [.. storedEarlier ?? [], stored]);
        var storedGrid = stored is null ? null : SweepGrid.Expand(stored, storedEarlier);
        var trained = Trained(grid, storedGrid, spec, stored, sizes, completed);
        if (trained.Count == 0)
            throw new UsageException($"this spec adds no cells to the stored sweep {spec.Name} and raises no epochs: there is nothing to plan" +
                                     (stored is not null && SpecExtension.Relists(stored, spec)
                                         ? " (it lists the same cells' learning rates otherwise: --extend stores it, training nothing)" : ""));
        var packs = trained.Select(t => t.Work).ToArray();
        var added = trained.Where(t => !t.Stored).ToList();
        var lengthened = trained.Where(t => t.Stored).ToList();
        // The per-cell figures describe the spec, so they come from a pack at its full length (a stored pack's run is only
        // the extra epochs). Every pack has the same model, batch and schedule; not always the same number of cells (a
        // sweep that grew, or an extension that adds a method and a learning rate at once, has packs of several sizes).
        var full = added.Count > 0 ? added[0].Work : Workload(lengthened[0].Pack, spec, sizes);

        var data = new PlanData(spec.Data.Set, spec.Data.IsSynthetic ? null : DataLocations.DirectoryOf(DataSetCheck.ToSource(spec.Data)),
            shape is not null, problem, sizes.TrainCount, sizes.TestCount, sizes.Features, sizes.Classes);
        var model = new PlanModel(sizes.Features, spec.Model.Depth, spec.Model.Width, sizes.Classes, full.Shape.ParameterCount, spec.Model.InitScale,
            spec.Model.Init, spec.Model.InitDigest);
        var planGrid = new PlanGrid(spec.Methods, spec.Optimizers, spec.LearningRates, spec.Seeds, grid.Cells.Count, grid.Packs.Count,
            PackSizes(grid.Packs), spec.Packing == PackingMode.Lr ? "lr" : "none",
            storedGrid is null ? null : Extension(storedGrid, stored!, added, lengthened, completed), spec.RowRates);
        var schedule = new PlanSchedule(spec.Epochs, spec.BatchSize, full.StepsPerEpoch, full.Steps, packs.Sum(p => (long)p.Spec.PackSize * p.Spec.Epochs),
            spec.EvaluateEvery, full.Evaluations, spec.CheckpointEvery, PackWorkload.EveryAndLast(spec.Epochs, spec.CheckpointEvery),
            spec.DiagnosticsOrDefault.CosineEvery, full.CosineSamples, spec.DiagnosticsOrDefault.EffectiveRank,
            ResultsTable.Rule(spec.SelectionOrDefault),
            PackSpecBuilder.Schedule(spec.OptimizerOrDefault, spec.Epochs)?.ToString());

        // Over all of a method's packs: a pack's cells may share work (directional's tangent), so its size changes the figure.
        var perMethod = trained.GroupBy(t => t.Pack.Cells[0].Config.Method, t => t.Work)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.TrainFlopsPerEpoch) / g.Sum(p => p.Spec.PackSize));
        int atOnce = Math.Min(slots, packs.Length);
        double? seconds = time is null ? null : SlotSchedule.Makespan(packs.Select(p => time.Seconds(p, atOnce)), slots);
        var curveBytes = CurveFootprint.BytesPerCell(full);
        // A stored cell's curve is there up to the stored epochs: a raise adds the rest.
        var curveGrowth = lengthened.Count == 0 ? 0 : curveBytes - CurveFootprint.BytesPerCell(Workload(lengthened[0].Pack, spec with { Epochs = stored!.Epochs }, sizes));
        var cost = new PlanCost(packs.Sum(p => p.TotalFlops), packs.Sum(p => p.EvaluationTotalFlops), perMethod, packs.Max(p => p.CheckpointBytes), packs.Sum(p => p.CheckpointBytes),
            curveBytes, curveBytes * Cells(added) + curveGrowth * TrainingOn(lengthened, completed),
            packs.Max(p => p.TrainingStateBytes(spec.CheckpointEvery)), seconds, slots, time?.Basis, time?.Measured.ToArray() ?? []);

        return new SweepPlan(spec.Name, data, model, planGrid, Guesses(spec), schedule, cost, PlanWarnings.For(spec, data, schedule, onGpu: time?.OnGpu ?? false));
    }

    /// <summary>A pack the plan trains, and its run: a stored pack's is the extra epochs of a raise.</summary>
    private sealed record TrainedPack(GridPack Pack, PackWorkload Work, bool Stored);

    /// <summary>The packs the plan trains, in grid order (as the coordinator admits them): every pack of a plan without
    /// <paramref name="storedGrid"/>; of an extension, the added packs to the spec's end and, when it raises the stored
    /// epochs, the stored packs for the extra epochs (their completed cells train on from the last checkpoint).</summary>
    private static List<TrainedPack> Trained(SweepGrid grid, SweepGrid? storedGrid, SweepSpec spec, SweepSpec? stored, DataShape sizes,
        IReadOnlySet<string>? completed)
    {
        int extra = stored is not null && spec.Epochs > stored.Epochs ? spec.Epochs - stored.Epochs : 0;
        var trained = new List<TrainedPack>();
        foreach (var pack in grid.Packs)
        {
            if (storedGrid?.CellsById.ContainsKey(pack.Cells[0].CellId) != true) trained.Add(new(pack, Workload(pack, spec, sizes), Stored: false));
            else if (extra > 0 && (completed is null || pack.Cells.Any(c => completed.Contains(c.CellId))))
                trained.Add(new(pack, Workload(pack, spec with { Epochs = extra }, sizes), Stored: true));
        }
        return trained;
    }

    /// <summary>What an extension trains beside the stored sweep: its added packs, and the stored ones a raise lengthens.</summary>
    private static PlanExtension Extension(SweepGrid storedGrid, SweepSpec stored, List<TrainedPack> added, List<TrainedPack> lengthened,
        IReadOnlySet<string>? completed) =>
        new(Cells(added), added.Count, storedGrid.Cells.Count, storedGrid.Packs.Count, PackSizes(added.Select(t => t.Pack)),
            lengthened.Count > 0 ? stored.Epochs : null, TrainingOn(lengthened, completed), lengthened.Count, CompletedKnown: completed is not null);

    private static long Cells(IEnumerable<TrainedPack> packs) => packs.Sum(t => (long)t.Pack.Cells.Count);

    /// <summary>The cells of lengthened packs that train on: the completed ones where known, else all.</summary>
    private static long TrainingOn(IEnumerable<TrainedPack> packs, IReadOnlySet<string>? completed) =>
        completed is null ? Cells(packs) : packs.Sum(t => (long)t.Pack.Cells.Count(c => completed.Contains(c.CellId)));

    /// <summary>A pack's run of <paramref name="run"/>'s epochs.</summary>
    private static PackWorkload Workload(GridPack pack, SweepSpec run, DataShape sizes) =>
        new(PackSpecBuilder.Build(pack.ToWork(run, incarnation: null)), sizes);

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
