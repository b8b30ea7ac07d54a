using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) as PyTorch implements it: θ ← θ(1 − lr·λ); m ← β1 m + (1 − β1) g;
/// v ← β2 v + (1 − β2) g²; θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
/// The last step is computed as θ − (lr·√c2 / c1) · m / (√v + ε·√c2), the same value with one pass fewer.
/// </summary>
public sealed class AdamW : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly Tensor _m, _v;

    public AdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.AdamW);
        _cells = cells;
        _m = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _v = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["adamw.m"] = _m, ["adamw.v"] = _v };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        // Row by row with scalar hyperparameters: each cell may have its own, and scalar kernels beat broadcasting
        // [P, 1] columns; P is small, so the extra calls cost nothing.
        for (int p = 0; p < _cells.Count; p++)
        {
            var c = _cells[p];
            var (theta, g, m, v) = (parameters.Flat[p], gradient.Flat[p], _m[p], _v[p]);
            double c1 = 1 - Math.Pow(c.Beta1, Steps), sqrtC2 = Math.Sqrt(1 - Math.Pow(c.Beta2, Steps));
            double decay = 1 - c.LearningRate * c.WeightDecay, step = c.LearningRate * sqrtC2 / c1, eps = c.Epsilon * sqrtC2;
            if (CpuKernels.Applies(theta) && CpuKernels.Applies(g))
            {
                CpuKernels.AdamW(CpuKernels.Floats(theta), CpuKernels.Floats(g), CpuKernels.Floats(m), CpuKernels.Floats(v),
                    (float)decay, (float)c.Beta1, (float)c.Beta2, (float)step, (float)eps);
                continue;
            }
            using var s = new HeldScalars();
            theta.mul_(s[decay]);
            m.mul_(s[c.Beta1]).add_(g, s[1 - c.Beta1]);
            v.mul_(s[c.Beta2]).addcmul_(g, g, s[1 - c.Beta2]);
            theta.addcdiv_(m, v.sqrt().add_(s[eps], Scalars.One), s[-step]);
        }
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "adamw.m", _m);
        PackHyperparameters.CopyState(state, "adamw.v", _v);
        Steps = steps;
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}
