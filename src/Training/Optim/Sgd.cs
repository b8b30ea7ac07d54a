using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>SGD as PyTorch: g ← g + λθ (L2), buf ← μ buf + g (buf = g at t = 1), θ ← θ − lr·buf.</summary>
public sealed class Sgd : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly Tensor _buffer;
    private readonly CellScalars[] _scalars;
    private readonly HeldScalars _held = new();   // owns the Scalars of _scalars

    /// <summary>Each cell's hyperparameters as Scalars, made once: the step passes them to libtorch on every call.</summary>
    private sealed record CellScalars(Scalar WeightDecay, Scalar Momentum, Scalar MinusLearningRate);

    public Sgd(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.Sgd);
        _cells = cells;
        _buffer = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _scalars = cells.Select(c => new CellScalars(_held[c.WeightDecay], _held[c.Momentum], _held[-c.LearningRate])).ToArray();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["sgd.momentum"] = _buffer };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        for (int p = 0; p < _cells.Count; p++)                                       // per cell: scalar hyperparameters
        {
            var (c, s) = (_cells[p], _scalars[p]);
            var theta = parameters.Flat[p];
            var g = c.WeightDecay > 0 ? gradient.Flat[p].add(theta, s.WeightDecay) : gradient.Flat[p];
            if (c.Momentum > 0)
            {
                var buf = _buffer[p];
                if (Steps == 1) buf.copy_(g);
                else buf.mul_(s.Momentum).add_(g, Scalars.One);
                g = buf;
            }
            theta.add_(g, s.MinusLearningRate);
        }
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "sgd.momentum", _buffer);
        Steps = steps;
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _held.Dispose();
    }
}
