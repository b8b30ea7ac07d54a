using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// StableAdamW (Wortsman et al. 2023), per tensor (each W_i and b_i of each cell):
/// β̂ = β(1 − β^{t−1})/(1 − β^t); v ← β̂1 v + (1 − β̂1) g; u ← β̂2 u + (1 − β̂2) g²;
/// RMS = √mean(g² / max(u, ε²)); η = lr / max(1, RMS / d); θ ← θ(1 − lr·λ) − η v / (√u + ε).
/// </summary>
public sealed class StableAdamW : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly MlpShape _shape;
    private readonly Device _device;
    private readonly Tensor _decayFactor, _epsilon, _epsilonSquared, _lr, _clip;
    private readonly Tensor _v, _u;

    public StableAdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.StableAdamW);
        _cells = cells;
        _shape = shape;
        _device = device;
        _decayFactor = Column(c => 1 - c.LearningRate * c.WeightDecay);
        _epsilon = Column(c => c.Epsilon);
        _epsilonSquared = Column(c => c.Epsilon * c.Epsilon);
        _lr = Column(c => c.LearningRate);
        _clip = Column(c => c.ClipThreshold);
        _v = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _u = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["stable.v"] = _v, ["stable.u"] = _u };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        long t = Steps;
        var beta1 = PackHyperparameters.Column(_cells, c => CorrectedBeta(c.Beta1, t), _device);
        var beta2 = PackHyperparameters.Column(_cells, c => CorrectedBeta(c.Beta2, t), _device);
        var g = gradient.Flat;
        var g2 = g.square();
        _v.mul_(beta1).add_(g.mul(beta1.neg().add_(1)));
        _u.mul_(beta2).add_(g2.mul(beta2.neg().add_(1)));
        var ratio = g2.div(maximum(_u, _epsilonSquared));                     // g² / max(u, ε²)  [P, N]
        var update = _v.div(_u.sqrt().add_(_epsilon));                               // v / (√u + ε)     [P, N]
        for (int i = 0; i < _shape.Layers; i++)
        {
            foreach (var (offset, length) in Segments(i))
            {
                var rms = ratio.narrow(1, offset, length).mean([1], keepdim: true).sqrt_();      // [P, 1]
                var eta = _lr.div(maximum(rms.div_(_clip), ones_like(rms)));                // lr / max(1, RMS/d)
                update.narrow(1, offset, length).mul_(eta);
            }
        }
        var theta = parameters.Flat;
        theta.mul_(_decayFactor).sub_(update);
    }

    /// <summary>β̂ = β(1 − β^{t−1})/(1 − β^t): 0 at t = 1, → β as t grows.</summary>
    public static double CorrectedBeta(double beta, long t) => beta * (1 - Math.Pow(beta, t - 1)) / (1 - Math.Pow(beta, t));

    private IEnumerable<(long Offset, long Length)> Segments(int i)
    {
        var (w, b) = _shape.Offsets(i);
        yield return (w, (long)_shape.OutSize(i) * _shape.InSize(i));
        yield return (b, _shape.OutSize(i));
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "stable.v", _v);
        PackHyperparameters.CopyState(state, "stable.u", _u);
        Steps = steps;
    }

    private Tensor Column(Func<OptimizerSettings, double> pick) =>
        PackHyperparameters.Column(_cells, pick, _device).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var t in new[] { _decayFactor, _epsilon, _epsilonSquared, _lr, _clip, _v, _u }) t.Dispose();
    }
}
