using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) as PyTorch implements it: θ ← θ(1 − lr·λ); m ← β1 m + (1 − β1) g;
/// v ← β2 v + (1 − β2) g²; θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
/// The last step is computed as θ − (lr·√c2 / c1) · m / (√v + ε·√c2), the same value with one pass fewer. The output
/// layer takes lr times <see cref="OptimizerSettings.OutputLrScale"/> where that is set, in its decay too.
/// </summary>
public sealed class AdamW : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly RateSpan[] _spans;
    private readonly Tensor _m, _v;
    private readonly Columns[]? _columns;      // whole-pack update only: one per span

    public AdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
        : this(cells, shape, device, CellColumns.WholePackByDefault(device)) { }

    internal AdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device, bool wholePack)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.AdamW);
        _cells = cells;
        _spans = RateSpan.Of(shape, cells);
        _m = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _v = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        if (wholePack) _columns = _spans.Select(span => new Columns(cells, span.Rate, device)).ToArray();
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["adamw.m"] = _m, ["adamw.v"] = _v };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        if (_columns is not null)
        {
            for (int i = 0; i < _spans.Length; i++)
            {
                var (offset, length) = (_spans[i].Offset, _spans[i].Length);
                StepWholePack(_columns[i], parameters.Flat.narrow(1, offset, length), gradient.Flat.narrow(1, offset, length),
                    _m.narrow(1, offset, length), _v.narrow(1, offset, length));
            }
            return;
        }
        // Row by row with scalar hyperparameters: each cell may have its own, and scalar kernels beat broadcasting
        // [P, 1] columns; P is small, so the extra calls cost nothing.
        for (int p = 0; p < _cells.Count; p++)
            foreach (var span in _spans)
                StepCell(_cells[p], span, parameters.Flat[p], gradient.Flat[p], _m[p], _v[p]);
    }

    /// <summary>One cell's span of its rows.</summary>
    private void StepCell(OptimizerSettings c, RateSpan span, Tensor theta, Tensor g, Tensor m, Tensor v)
    {
        (theta, g, m, v) = (theta.narrow(0, span.Offset, span.Length), g.narrow(0, span.Offset, span.Length),
            m.narrow(0, span.Offset, span.Length), v.narrow(0, span.Offset, span.Length));
        double rate = span.Rate(c), c1 = 1 - Math.Pow(c.Beta1, Steps), sqrtC2 = Math.Sqrt(1 - Math.Pow(c.Beta2, Steps));
        double decay = 1 - rate * c.WeightDecay, step = rate * sqrtC2 / c1, eps = c.Epsilon * sqrtC2;
        if (CpuKernels.Applies(theta) && CpuKernels.Applies(g))
        {
            // Element-wise, so a row past a span's reach, updated chunk by chunk, comes out as one pass would leave it.
            HostChunks.ForEach([theta, g, m, v], k => CpuKernels.AdamW(CpuKernels.Floats(k[0]), CpuKernels.Floats(k[1]),
                CpuKernels.Floats(k[2]), CpuKernels.Floats(k[3]), (float)decay, (float)c.Beta1, (float)c.Beta2, (float)step, (float)eps));
            return;
        }
        using var s = new HeldScalars();
        theta.mul_(s[decay]);
        m.mul_(s[c.Beta1]).add_(g, s[1 - c.Beta1]);
        v.mul_(s[c.Beta2]).addcmul_(g, g, s[1 - c.Beta2]);
        theta.addcdiv_(m, v.sqrt().add_(s[eps], Scalars.One), s[-step]);
    }

    /// <summary>The same update for all cells at once. The bias corrections are computed on the device too (in float64,
    /// like the per-cell path's host arithmetic), so a step never waits for it.</summary>
    private void StepWholePack(Columns k, Tensor theta, Tensor g, Tensor m, Tensor v)
    {
        using var s = new HeldScalars();
        var c1 = k.Beta1.pow(s[Steps]).neg_().add_(Scalars.One, Scalars.One);
        var sqrtC2 = k.Beta2.pow(s[Steps]).neg_().add_(Scalars.One, Scalars.One).sqrt_();
        var step = k.LearningRate.mul(sqrtC2).div_(c1).F32();
        var epsilon = k.Epsilon.mul(sqrtC2).F32();
        theta.mul_(k.Decay);
        m.mul_(k.Beta1F).addcmul_(g, k.OneMinusBeta1F, Scalars.One);
        v.mul_(k.Beta2F).addcmul_(g.mul(k.OneMinusBeta2F), g, Scalars.One);
        theta.sub_(m.div(v.sqrt().add_(epsilon, Scalars.One)).mul_(step));
    }

    /// <summary>The cells' hyperparameters as columns, at the learning rate <paramref name="rate"/> gives a span: float64 for
    /// the bias corrections, float32 for the update.</summary>
    private sealed class Columns : IDisposable
    {
        public readonly Tensor LearningRate, Beta1, Beta2, Epsilon, Decay, Beta1F, OneMinusBeta1F, Beta2F, OneMinusBeta2F;

        public Columns(IReadOnlyList<OptimizerSettings> cells, Func<OptimizerSettings, double> rate, Device device)
        {
            Tensor Of(Func<OptimizerSettings, double> f) => CellColumns.Of(cells, f, device);
            Tensor F32(Func<OptimizerSettings, double> f) => CellColumns.OfFloat32(cells, f, device);
            (LearningRate, Beta1, Beta2, Epsilon) = (Of(rate), Of(c => c.Beta1), Of(c => c.Beta2), Of(c => c.Epsilon));
            Decay = F32(c => 1 - rate(c) * c.WeightDecay);
            (Beta1F, OneMinusBeta1F) = (F32(c => c.Beta1), F32(c => 1 - c.Beta1));
            (Beta2F, OneMinusBeta2F) = (F32(c => c.Beta2), F32(c => 1 - c.Beta2));
        }

        public void Dispose()
        {
            foreach (var t in new[] { LearningRate, Beta1, Beta2, Epsilon, Decay, Beta1F, OneMinusBeta1F, Beta2F, OneMinusBeta2F }) t.Dispose();
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
        foreach (var c in _columns ?? []) c.Dispose();
    }
}
