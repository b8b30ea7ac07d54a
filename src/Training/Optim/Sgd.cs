using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>SGD as PyTorch: g ← g + λθ (L2), buf ← μ buf + g (buf = g at t = 1), θ ← θ − lr·buf (the output layer at
/// its own rate where <see cref="OptimizerSettings.OutputLrScale"/> is set).</summary>
public sealed class Sgd : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly RateSpan[] _spans;
    private readonly Tensor _buffer;
    private readonly CellScalars[] _scalars;
    private readonly HeldScalars _held = new();   // owns the Scalars of _scalars
    private readonly Tensor[]? _minusLearningRate;                    // whole-pack update only: float32 [P, 1], one per span
    private readonly Tensor? _weightDecay, _momentum;                  // whole-pack update only: float32 [P, 1]

    /// <summary>Each cell's hyperparameters as Scalars, made once: the step passes them to libtorch on every call.</summary>
    private sealed record CellScalars(Scalar WeightDecay, Scalar Momentum, Scalar[] MinusLearningRate);

    public Sgd(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
        : this(cells, shape, device, CellColumns.WholePackByDefault(device)) { }

    internal Sgd(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device, bool wholePack)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.Sgd);
        _cells = cells;
        _spans = RateSpan.Of(shape, cells);
        _buffer = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _scalars = cells.Select(c => new CellScalars(_held[c.WeightDecay], _held[c.Momentum],
            _spans.Select(span => _held[-span.Rate(c)]).ToArray())).ToArray();
        if (!wholePack) return;
        Tensor F32(Func<OptimizerSettings, double> f) => CellColumns.OfFloat32(cells, f, device);
        _minusLearningRate = _spans.Select(span => F32(c => -span.Rate(c))).ToArray();
        if (cells.Any(c => c.WeightDecay > 0)) _weightDecay = F32(c => c.WeightDecay);
        if (cells.Any(c => c.Momentum > 0)) _momentum = F32(c => c.Momentum);
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["sgd.momentum"] = _buffer };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        if (_minusLearningRate is not null)
        {
            StepWholePack(parameters.Flat, gradient.Flat, _minusLearningRate);
            return;
        }
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
            for (int i = 0; i < _spans.Length; i++)
                theta.narrow(0, _spans[i].Offset, _spans[i].Length).add_(g.narrow(0, _spans[i].Offset, _spans[i].Length), s.MinusLearningRate[i]);
        }
    }

    /// <summary>
    /// The same update for all cells at once. A cell without momentum goes through the buffer too (μ = 0 makes it g), so
    /// its buffer holds its last gradient where the per-cell path leaves it at zero; neither path reads it.
    /// </summary>
    private void StepWholePack(Tensor theta, Tensor g, Tensor[] minusLearningRate)
    {
        if (_weightDecay is not null) g = g.addcmul(theta, _weightDecay, Scalars.One);
        if (_momentum is not null)
        {
            if (Steps == 1) _buffer.copy_(g);
            else _buffer.mul_(_momentum).add_(g, Scalars.One);
            g = _buffer;
        }
        for (int i = 0; i < _spans.Length; i++)
            theta.narrow(1, _spans[i].Offset, _spans[i].Length).addcmul_(g.narrow(1, _spans[i].Offset, _spans[i].Length), minusLearningRate[i], Scalars.One);
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
        foreach (var c in new[] { _weightDecay, _momentum }.Concat(_minusLearningRate ?? [])) c?.Dispose();
    }
}
