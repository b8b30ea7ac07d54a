using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>SGD as PyTorch: g ← g + λθ (L2), buf ← μ buf + g (buf = g at t = 1), θ ← θ − lr·buf.</summary>
public sealed class Sgd : IPackOptimizer
{
    private readonly Tensor _lr, _momentum, _decay;
    private readonly Tensor _buffer;
    private readonly bool _useMomentum, _useDecay;

    public Sgd(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.Sgd);
        _lr = PackHyperparameters.Column(cells, c => c.LearningRate, device).DetachFromDisposeScope();
        _momentum = PackHyperparameters.Column(cells, c => c.Momentum, device).DetachFromDisposeScope();
        _decay = PackHyperparameters.Column(cells, c => c.WeightDecay, device).DetachFromDisposeScope();
        _useMomentum = cells.Any(c => c.Momentum > 0);
        _useDecay = cells.Any(c => c.WeightDecay > 0);
        _buffer = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["sgd.momentum"] = _buffer };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        var theta = parameters.Flat;
        var g = _useDecay ? gradient.Flat.addcmul(theta, _decay, 1) : gradient.Flat;
        if (_useMomentum)
        {
            if (Steps == 1) _buffer.copy_(g);
            else _buffer.mul_(_momentum).add_(g);
            g = _buffer;
        }
        theta.sub_(g.mul(_lr));
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "sgd.momentum", _buffer);
        Steps = steps;
    }

    public void Dispose()
    {
        _lr.Dispose(); _momentum.Dispose(); _decay.Dispose(); _buffer.Dispose();
    }
}
