using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Planning;

/// <summary>Settings that are valid but likely not what the author meant: each is one line of the plan, none
/// refuses the spec.</summary>
internal static class PlanWarnings
{
    /// <param name="onGpu">The time was measured on a GPU: the slots are GPUs.</param>
    public static IReadOnlyList<string> For(SweepSpec spec, PlanData data, PlanSchedule schedule, bool onGpu = false)
    {
        var warnings = new List<string>(SpecWarnings.For(spec));
        if (!data.Found)
            warnings.Add($"the data cannot be read here ({data.Problem}); planned with the set's published sizes. " +
                         "`local` needs it on this machine, `submit` on every silo");
        if (spec.BatchSize > data.Train)
            warnings.Add($"batchSize {N(spec.BatchSize)} is more than the {N(data.Train)} training examples: every step sees the whole set");
        // Only past the default interval: a short sweep that checkpoints at its end alone loses little to a restart.
        if (schedule.Epochs > SweepSpec.DefaultCheckpointEvery && spec.CheckpointEvery >= schedule.Epochs)
            warnings.Add($"checkpointEvery {N(spec.CheckpointEvery)} with {N(schedule.Epochs)} epochs: the only checkpoint is the last, " +
                         "so an interrupted pack starts again from epoch 0");
        if (schedule.Epochs > 1 && spec.EvaluateEvery >= schedule.Epochs)
            warnings.Add($"evaluateEvery {N(spec.EvaluateEvery)} with {N(schedule.Epochs)} epochs: only the last epoch is evaluated, " +
                         "so every accuracy curve is one point");
        if (schedule.CosineEvery > 0 && schedule.CosineSamplesPerCell == 1 && schedule.StepsPerCell > 1)
            warnings.Add($"diagnostics.cosineEvery {N(schedule.CosineEvery)}: a cell takes {N(schedule.StepsPerCell)} steps, " +
                         "so only its first step is sampled");
        if (spec.MostRatesInARow == 1)
            warnings.Add("one learning rate: the selection has nothing to choose between");
        // Measured on an H200 (docs/GPU.md): one small MLP leaves a GPU idle, so a pack costs about what one cell does.
        if (onGpu && spec.Packing == PackingMode.None && spec.MostRatesInARow > 1)
            warnings.Add($"packing: none on GPU slots: one cell leaves a GPU mostly idle; packing: lr would train the {N(spec.MostRatesInARow)} " +
                         "learning rates of each method, optimizer and seed as one pack in about the time of one cell");
        return warnings;
    }

    private static string N(long value) => PlanView.N(value);
}
