using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Activation perturbation (Ren et al.): ŝ_{i,b} ~ N(0, I_{n_i}) for every layer. Unbiased.</summary>
public sealed class ActivationPerturbationEstimator(EstimatorSettings settings) : ActivationGuessEstimator(settings)
{
    public override EstimatorKind Kind => EstimatorKind.ActivationPerturbation;

    protected override Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses) =>
        guesses.Normal(fwd.BatchSize, model.Shape.OutSize(i));
}
