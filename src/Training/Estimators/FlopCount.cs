using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Training.Estimators;

/// <summary>Matmul FLOPs per example (2 per multiply-add) of the building blocks, for achieved-GFLOP/s figures.</summary>
public static class FlopCount
{
    /// <summary>s_i = W_i x_i for every layer.</summary>
    public static double Forward(MlpShape s) => Enumerable.Range(0, s.Layers).Sum(i => 2.0 * s.OutSize(i) * s.InSize(i));

    /// <summary>W_i ẋ_i or δ_i W_i for layers 1..L-1 (layer 0's input has no tangent / needs no cotangent).</summary>
    public static double Propagate(MlpShape s) => Enumerable.Range(1, s.Layers - 1).Sum(i => 2.0 * s.OutSize(i) * s.InSize(i));

    /// <summary>Σ_b g_b x_bᵀ (or Ẇ_i x_i) for every layer: the same count as the forward pass.</summary>
    public static double Outer(MlpShape s) => Forward(s);

    /// <summary>Backprop: forward + weight gradients + δ propagation.</summary>
    public static double Backprop(MlpShape s) => Forward(s) + Outer(s) + Propagate(s);
}
