using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// StableAdamW (Wortsman et al. 2023), per tensor (each W_i and b_i of each cell):
/// β̂ = β(1 − β^{t−1})/(1 − β^t); v ← β̂1 v + (1 − β̂1) g; u ← β̂2 u + (1 − β̂2) g²;
/// RMS = √mean(g² / max(u, ε²)); η = lr / max(1, RMS / d); θ ← θ(1 − lr·λ) − η v / (√u + ε). The output layer's
/// tensors take lr times <see cref="OptimizerSettings.OutputLrScale"/> where that is set.
/// </summary>
public sealed class StableAdamW : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly MlpShape _shape;
    private readonly RateSpan[] _spans;   // the decay's rate: one span, or the hidden layers and the output layer
    private readonly Tensor _v, _u;
    private readonly Columns? _columns;        // whole-pack update only

    public StableAdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device)
        : this(cells, shape, device, CellColumns.WholePackByDefault(device)) { }

    internal StableAdamW(IReadOnlyList<OptimizerSettings> cells, MlpShape shape, Device device, bool wholePack)
    {
        PackHyperparameters.CheckSameKind(cells, OptimizerKind.StableAdamW);
        _cells = cells;
        _shape = shape;
        _spans = RateSpan.Of(shape, cells);
        _v = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        _u = zeros(cells.Count, shape.ParameterCount, device: device).DetachFromDisposeScope();
        if (wholePack) _columns = new Columns(cells, device);
    }

    public long Steps { get; private set; }

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["stable.v"] = _v, ["stable.u"] = _u };

    public void Step(LayeredTensor parameters, LayeredTensor gradient)
    {
        using var scope = NewDisposeScope();
        Steps++;
        if (_columns is not null)
        {
            StepWholePack(_columns, parameters.Flat, gradient.Flat);
            return;
        }
        for (int p = 0; p < _cells.Count; p++)
        {
            var c = _cells[p];
            float beta1 = (float)CorrectedBeta(c.Beta1, Steps), beta2 = (float)CorrectedBeta(c.Beta2, Steps), eps = (float)c.Epsilon;
            var (theta, g, v, u) = (parameters.Flat[p], gradient.Flat[p], _v[p], _u[p]);
            bool fused = CpuKernels.Applies(theta) && CpuKernels.Applies(g);
            foreach (var (offset, length, outputLayer) in Segments())
            {
                double rate = c.LearningRateOf(outputLayer);
                float decay = (float)(1 - rate * c.WeightDecay);
                var (ts, gs, vs, us) = (theta.narrow(0, offset, length), g.narrow(0, offset, length), v.narrow(0, offset, length), u.narrow(0, offset, length));
                if (fused)
                {
                    // A segment past a span's reach goes chunk by chunk: the moments and their sum, then the update.
                    double sum = 0;
                    HostChunks.ForEach([gs, vs, us], k =>
                        sum += CpuKernels.StableMoments(CpuKernels.Floats(k[0]), CpuKernels.Floats(k[1]), CpuKernels.Floats(k[2]), beta1, beta2, eps * eps));
                    double rms = Math.Sqrt(sum / length);
                    float eta = (float)(rate / Math.Max(1, rms / c.ClipThreshold));
                    HostChunks.ForEach([ts, vs, us], k =>
                        CpuKernels.StableApply(CpuKernels.Floats(k[0]), CpuKernels.Floats(k[1]), CpuKernels.Floats(k[2]), decay, eta, eps));
                }
                else
                {
                    using var s = new HeldScalars();
                    vs.mul_(s[beta1]).add_(gs, s[1 - beta1]);
                    us.mul_(s[beta2]).addcmul_(gs, gs, s[1 - beta2]);
                    // η stays a device tensor: no host sync per tensor on a GPU.
                    var rms = gs.mul(gs).div_(us.clamp_min(s[eps * eps])).mean().sqrt_();
                    var eta = rms.div_(s[c.ClipThreshold]).clamp_min_(Scalars.One).reciprocal_().mul_(s[rate]);
                    ts.mul_(s[decay]).sub_(vs.div(us.sqrt().add_(s[eps], Scalars.One)).mul_(eta));
                }
            }
        }
    }

    /// <summary>
    /// The same update for all cells at once: the moments over the whole [P, N] rows, then each tensor's RMS per cell as a
    /// column, spread back over its segment so that the last step is again one pass over the rows.
    /// </summary>
    private void StepWholePack(Columns k, Tensor theta, Tensor g)
    {
        using var s = new HeldScalars();
        var beta1 = CorrectedBeta(k.Beta1, Steps, s).F32();
        var beta2 = CorrectedBeta(k.Beta2, Steps, s).F32();
        _v.mul_(beta1).addcmul_(g, beta1.neg().add_(Scalars.One, Scalars.One), Scalars.One);
        _u.mul_(beta2).addcmul_(g.mul(beta2.neg().add_(Scalars.One, Scalars.One)), g, Scalars.One);
        var ratio = g.mul(g).div_(maximum(_u, k.EpsilonSquared));
        var eta = cat(Segments().Select(seg =>
        {
            var rms = ratio.narrow(1, seg.Offset, seg.Length).mean([1], keepdim: true).sqrt_();
            var rate = seg.OutputLayer ? k.OutputLearningRate : k.LearningRate;
            return rms.div_(k.ClipThreshold).clamp_min_(Scalars.One).reciprocal_().mul_(rate).expand(-1, seg.Length);
        }).ToArray(), 1);
        foreach (var span in _spans) theta.narrow(1, span.Offset, span.Length).mul_(span.OutputLayer ? k.OutputDecay : k.Decay);
        theta.sub_(_v.div(_u.sqrt().add_(k.Epsilon, Scalars.One)).mul_(eta));
    }

    /// <summary><see cref="CorrectedBeta(double, long)"/> of a float64 column, on its device.</summary>
    private static Tensor CorrectedBeta(Tensor beta, long t, HeldScalars s) =>
        beta.pow(s[t - 1]).neg_().add_(Scalars.One, Scalars.One).mul_(beta).div_(beta.pow(s[t]).neg_().add_(Scalars.One, Scalars.One));

    /// <summary>The cells' hyperparameters as columns: β in float64 for the corrections, the rest float32; the output
    /// layer's rate and decay apart, read where <see cref="RateSpan.Of"/> gives that layer a span of its own.</summary>
    private sealed class Columns : IDisposable
    {
        public readonly Tensor Beta1, Beta2, LearningRate, OutputLearningRate, Decay, OutputDecay, Epsilon, EpsilonSquared, ClipThreshold;

        public Columns(IReadOnlyList<OptimizerSettings> cells, Device device)
        {
            Tensor Of(Func<OptimizerSettings, double> f) => CellColumns.Of(cells, f, device);
            Tensor F32(Func<OptimizerSettings, double> f) => CellColumns.OfFloat32(cells, f, device);
            (Beta1, Beta2) = (Of(c => c.Beta1), Of(c => c.Beta2));
            (LearningRate, Decay, ClipThreshold) = (F32(c => c.LearningRate), F32(c => 1 - c.LearningRate * c.WeightDecay), F32(c => c.ClipThreshold));
            OutputLearningRate = F32(c => c.OutputLearningRate());
            OutputDecay = F32(c => 1 - c.OutputLearningRate() * c.WeightDecay);
            // ε² as the per-cell path makes it: the square of the float32 ε.
            (Epsilon, EpsilonSquared) = (F32(c => c.Epsilon), F32(c => (float)c.Epsilon * (float)c.Epsilon));
        }

        public void Dispose()
        {
            foreach (var t in new[] { Beta1, Beta2, LearningRate, OutputLearningRate, Decay, OutputDecay, Epsilon, EpsilonSquared, ClipThreshold }) t.Dispose();
        }
    }

    /// <summary>β̂ = β(1 − β^{t−1})/(1 − β^t): 0 at t = 1, → β as t grows.</summary>
    public static double CorrectedBeta(double beta, long t) => beta * (1 - Math.Pow(beta, t - 1)) / (1 - Math.Pow(beta, t));

    /// <summary>(offset, length) of every W_i and b_i in a cell's flat vector, and whether it is the output layer's.</summary>
    private IEnumerable<(long Offset, long Length, bool OutputLayer)> Segments()
    {
        for (int i = 0; i < _shape.Layers; i++)
        {
            var (w, b) = _shape.Offsets(i);
            bool output = i == _shape.Layers - 1;
            yield return (w, (long)_shape.OutSize(i) * _shape.InSize(i), output);
            yield return (b, _shape.OutSize(i), output);
        }
    }

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        PackHyperparameters.CopyState(state, "stable.v", _v);
        PackHyperparameters.CopyState(state, "stable.u", _u);
        Steps = steps;
    }

    public void Dispose()
    {
        _v.Dispose();
        _u.Dispose();
        _columns?.Dispose();
    }
}
