using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Masked perturbation: ŝ_{i,b} = D_{i,b} ε_{i,b}, ε ~ N(0, I_{n_i}): activation perturbation on the units the
/// ReLU left active only. The true δ_i = D_i W_{i+1}ᵀ δ_{i+1} is zero wherever D_i is, so the guess searches a
/// subspace of nnz(D_i) dimensions that holds it; within it the guess is isotropic (Cov = D_i), so unlike W^T's it is
/// unbiased. It is the study's second insight (the ReLU mask) without its third (W^T's low rank): the step between
/// activation perturbation and W^T.</summary>
public sealed class MaskedPerturbationEstimator(EstimatorSettings settings) : ActivationGuessEstimator(settings)
{
    public override EstimatorKind Kind => EstimatorKind.MaskedPerturbation;

    protected override Tensor HiddenGuess(int i, MlpPack model, ForwardCache fwd, GuessStreams guesses) =>
        guesses.Normal(fwd.BatchSize, model.Shape.OutSize(i)).mul_(fwd.Masks[i]);
}
