using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>Maps a <see cref="PackTrainer"/>'s state to and from a <see cref="CheckpointState"/>: weights,
/// optimizer moments and step, guess-generator states, step and epoch counters, divergence flags.</summary>
internal static class PackCheckpoint
{
    private const string ModelKey = CheckpointState.ModelTensor;
    private const string RngPrefix = "rng.";
    private const string OptimizerPrefix = "optim.";

    /// <summary>The trainer's state: with <paramref name="copy"/> a detached copy in CPU tensors (to roll back to),
    /// without it views of the live weights and moments, on their device (for a checkpoint written at once: no second
    /// copy of a wide pack in memory). Dispose the tensors either way; disposing a view leaves the trainer's alone.</summary>
    public static CheckpointState Capture(PackTrainer trainer, bool copy = true)
    {
        using var scope = NewDisposeScope();                // intermediates (detach, cpu) die here; the results are detached
        // A copy in CPU tensors: from a GPU, .cpu() is one already (a clone after it held a second, twice the host memory
        // a GPU pack is admitted by); from the CPU, .cpu() is the tensor itself.
        Tensor Take(Tensor t) => (!copy ? t.detach() : t.device_type == TorchSharp.DeviceType.CPU ? t.detach().clone() : t.detach().cpu()).DetachFromDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [ModelKey] = Take(trainer.Model.Parameters.Flat) };
        foreach (var (name, t) in trainer.Optimizer.State)
            tensors[OptimizerPrefix + name] = Take(t);
        var states = trainer.Guesses.GetStates();
        for (int p = 0; p < states.Length; p++) tensors[RngPrefix + p] = states[p].DetachFromDisposeScope();
        return new CheckpointState(trainer.Fingerprint, trainer.EpochsCompleted, trainer.StepCount,
            trainer.Optimizer.Steps, (int[])trainer.DivergedAt.Clone(), tensors, trainer.Configuration, trainer.DataDigest,
            trainer.Numerics);
    }

    /// <summary>The live tensor a checkpoint's tensor <paramref name="name"/> can be read straight into (the weights and
    /// the optimizer's moments); null for the rest.</summary>
    public static Tensor? Live(PackTrainer trainer, string name) =>
        name == ModelKey ? trainer.Model.Parameters.Flat
        : name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && trainer.Optimizer.State.TryGetValue(name[OptimizerPrefix.Length..], out var t) ? t
        : null;

    /// <summary>Restores a captured state; throws <see cref="ArgumentException"/> when shapes or counts do not fit.</summary>
    public static void Apply(PackTrainer trainer, CheckpointState state)
    {
        int pack = trainer.Spec.PackSize;
        if (state.Diverged.Length != pack) throw new ArgumentException($"holds {state.Diverged.Length} cells, the pack has {pack}");
        if (state.Epoch < 0 || state.Step < 0 || state.OptimizerSteps < 0) throw new ArgumentException("negative counters");
        if (!state.Tensors.TryGetValue(ModelKey, out var model)) throw new ArgumentException("no model tensor");
        var flat = trainer.Model.Parameters.Flat;
        if (!model.shape.SequenceEqual(flat.shape))
            throw new ArgumentException($"model shape [{string.Join(",", model.shape)}] does not match [{string.Join(",", flat.shape)}]");
        var optimizerState = state.Tensors
            .Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value.to(flat.device));
        using var scope = NewDisposeScope();
        var rng = Enumerable.Range(0, pack).Select(p => state.Tensors.TryGetValue(RngPrefix + p, out var t)
            ? t : throw new ArgumentException($"no generator state for cell {p}")).ToArray();

        using (no_grad()) flat.copy_(model);
        trainer.Optimizer.Restore(optimizerState, state.OptimizerSteps);
        foreach (var t in optimizerState.Values) t.Dispose();
        trainer.Guesses.SetStates(rng);
        trainer.StepCount = state.Step;
        trainer.DivergedAt = (int[])state.Diverged.Clone();
        trainer.SetEpochsCompleted(state.Epoch);
    }
}
