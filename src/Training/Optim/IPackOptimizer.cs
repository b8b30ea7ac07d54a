using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>Updates all cells of a pack in place from their (estimated) gradients, each with its own hyperparameters.</summary>
public interface IPackOptimizer : IDisposable
{
    /// <summary>Steps taken so far (t of the last step).</summary>
    long Steps { get; }

    /// <summary>Called before an epoch's first step (<paramref name="epoch"/> from 1), a resumed one's too: a scheduled
    /// optimizer sets its rates for it.</summary>
    void BeginEpoch(int epoch) { }

    void Step(LayeredTensor parameters, LayeredTensor gradient);

    /// <summary>State tensors by name (for checkpoints); together with <see cref="Steps"/> they restore the optimizer exactly.</summary>
    IReadOnlyDictionary<string, Tensor> State { get; }

    void Restore(IReadOnlyDictionary<string, Tensor> state, long steps);
}
