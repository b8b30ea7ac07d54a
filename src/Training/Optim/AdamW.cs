using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) as PyTorch implements it: θ ← θ(1 − lr·λ); m ← β1 m + (1 − β1) g;
/// v ← β2 v + (1 − β2) g²; θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
/// </summary>
public sealed class AdamW : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly Device _device;
    private readonly Tensor _decayFactor, _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon;
    private readonly Tensor _m, _v;

    public AdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.AdamW);
        _cells = cells;
        _device = device;
        _decayFactor = Column(c => 1 - c.LearningRate * c.WeightDecay);
        _beta1 = Column(c => c.Beta1);
        _oneMinusBeta1 = Column(c => 1 - c.Beta1);
        _beta2 = Column(c => c.Beta2);
        _oneMinusBeta2 = Column(c => 1 - c.Beta2);
        _epsilon = Column(c => c.Epsilon);
        _m = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _v = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["adamw.m"] = _m, ["adamw.v"] = _v };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        long t = Steps;
        var g = gradient.Flat;
        var theta = parameters.Flat;
        theta.mul_(_decayFactor);
        _m.mul_(_beta1).addcmul_(g, _oneMinusBeta1, 1);
        _v.mul_(_beta2).add_(g.square().mul_(_oneMinusBeta2));
        // Bias corrections in double on the host, per cell (β may differ between cells).
        var stepSize = PackHyperparameters.Column(_cells, c => c.LearningRate / (1 - Math.Pow(c.Beta1, t)), _device);
        var sqrtCorrection2 = PackHyperparameters.Column(_cells, c => Math.Sqrt(1 - Math.Pow(c.Beta2, t)), _device);
        var denom = _v.sqrt().div_(sqrtCorrection2).add_(_epsilon);
        theta.sub_(_m.div(denom).mul_(stepSize));
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "adamw.m", _m);
        PackHyperparameters.CopyState(state, "adamw.v", _v);
        Steps = steps;
    }

    private Tensor Column(Func<OptimizerSettings, double> pick) =>
        PackHyperparameters.Column(_cells, pick, _device).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var t in new[] { _decayFactor, _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon, _m, _v }) t.Dispose();
    }
}
