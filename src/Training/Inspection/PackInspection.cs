using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Inspection;

/// <summary>
/// What a pack's weights do to a data set, cell by cell and layer by layer (<see cref="LayerAnatomy"/>): how large the
/// weights are and along which of their inputs' directions they lie, how the forward signal grows and how many ReLUs it
/// opens, how the backward signal shrinks on its way down, and where the true gradient of the mean loss sits. One pass
/// over the set in chunks; the pack's weights are only read.
/// </summary>
public static class PackInspection
{
    public const int DefaultDirections = 10;

    /// <summary>The widest input whose principal directions are found: the second moment is n × n per cell, and its
    /// eigendecomposition O(n³) (a 3 × 8,000 model's would take minutes and half a gigabyte a cell).</summary>
    public const int MaxPrincipalInputs = 4096;

    /// <param name="x">[N, F] inputs, on the model's device.</param>
    /// <param name="y">[N] labels.</param>
    /// <param name="directions">Principal directions of each layer's inputs that <see cref="LayerAnatomy.InputTopShare"/>
    /// counts (at most the layer's input size).</param>
    /// <param name="chunkRows">Examples per chunk; by default the evaluation's, which bounds a wide pack's activations.</param>
    public static IReadOnlyList<CellAnatomy> Inspect(MlpPack model, Tensor x, Tensor y, int directions = DefaultDirections, long? chunkRows = null)
    {
        long rowsAtOnce = chunkRows ?? Evaluator.ChunkRows(model.PackSize, model.Shape.WidestOutput, model.Device.type);
        if (directions < 1) throw new ArgumentOutOfRangeException(nameof(directions), directions, "at least one direction");
        if (x.shape[0] == 0) throw new ArgumentException("no examples to inspect the pack on", nameof(x));
        using var scope = NewDisposeScope();
        var sums = new Sums(model);
        long n = x.shape[0];
        for (long start = 0; start < n; start += rowsAtOnce)
        {
            using var chunk = NewDisposeScope();
            long rows = Math.Min(rowsAtOnce, n - start);
            sums.Add(model, x.narrow(0, start, rows), y.narrow(0, start, rows), n);
        }
        return sums.Cells(model, n, directions);
    }

    /// <summary>What the pass adds up, per cell (float64 where it sums over the whole set).</summary>
    private sealed class Sums
    {
        private readonly LayeredTensor _gradient;          // of the mean loss
        private readonly Tensor _loss, _correct;           // [P]
        private readonly Tensor?[] _second;                // Σ x xᵀ of each layer's inputs: [F, F] (shared), then [P, n, n]; null when too wide
        private readonly Tensor[] _inputSquares;           // Σ ‖x‖² of each layer's inputs, [P]
        private readonly Tensor[] _backward;               // Σ ‖∂ℓ/∂s‖² per layer, [P]
        private readonly Tensor[] _open, _everOpen;        // hidden layers: Σ open ReLUs [P]; units ever open [P, n]

        public Sums(MlpPack model)
        {
            var shape = model.Shape;
            long pack = model.PackSize;
            var device = model.Device;
            _gradient = LayeredTensor.Zeros(shape, pack, device);
            _loss = zeros(pack, dtype: ScalarType.Float64, device: device);
            _correct = zeros(pack, dtype: ScalarType.Float64, device: device);
            _second = [.. Enumerable.Range(0, shape.Layers).Select(i => shape.InSize(i) > MaxPrincipalInputs ? null
                : i == 0 ? zeros(shape.Inputs, shape.Inputs, device: device)
                : zeros(pack, shape.InSize(i), shape.InSize(i), device: device))];
            _inputSquares = [.. Enumerable.Range(0, shape.Layers).Select(_ => zeros(pack, dtype: ScalarType.Float64, device: device))];
            _backward = [.. Enumerable.Range(0, shape.Layers).Select(_ => zeros(pack, dtype: ScalarType.Float64, device: device))];
            _open = [.. Enumerable.Range(0, shape.Layers - 1).Select(_ => zeros(pack, dtype: ScalarType.Float64, device: device))];
            _everOpen = [.. Enumerable.Range(0, shape.Layers - 1).Select(i => zeros(pack, shape.OutSize(i), device: device))];
        }

        public void Add(MlpPack model, Tensor x, Tensor y, long total)
        {
            using var s = new HeldScalars();
            long rows = x.shape[0];
            var fwd = model.Forward(x);
            var logits = fwd.Logits;
            _loss.add_(LossTerms.Loss(logits, y).to(ScalarType.Float64).mul(s[rows]), Scalars.One);
            _correct.add_(logits.argmax(2).eq(y.unsqueeze(0)).sum(1).to(ScalarType.Float64), Scalars.One);
            // LogitGradient is the chunk's mean loss's: rescaled to the whole set's, its δ_i are each example's ∂ℓ_b/∂s_i
            // over the set's size.
            var logitGradient = LossTerms.LogitGradient(logits, y).mul_(s[(double)rows / total]);
            Backprop.Gradient(model, fwd, logitGradient, _gradient, accumulate: true, atLayer: (i, delta) =>
                _backward[i].add_(delta.mul(delta).sum([1, 2]).to(ScalarType.Float64).mul_(s[(double)total * total]), Scalars.One));
            for (int i = 0; i < model.Shape.Layers; i++)
            {
                var input = fwd.Inputs[i];
                _second[i]?.add_(i == 0 ? input.t().mm(input) : input.transpose(1, 2).bmm(input), Scalars.One);
                _inputSquares[i].add_(input.mul(input).sum([-2, -1]).to(ScalarType.Float64), Scalars.One);   // layer 0's: one for all
            }
            for (int i = 0; i < _open.Length; i++)
            {
                _open[i].add_(fwd.Masks[i].sum([1, 2]).to(ScalarType.Float64), Scalars.One);
                _everOpen[i].copy_(_everOpen[i].maximum(fwd.Masks[i].amax(1)));       // in place: it outlives the chunk's scope
            }
        }

        public IReadOnlyList<CellAnatomy> Cells(MlpPack model, long total, int directions)
        {
            using var s = new HeldScalars();
            var shape = model.Shape;
            var squares = LayerProducts.Of(_gradient, _gradient).GradientSquares;    // [P, L]
            var shares = Host(LayerShares.Of(squares));
            var ranks = Host(EffectiveRank.Compute(model.Parameters));
            var loss = Vector(_loss.div(s[total]));
            var accuracy = Vector(_correct.div(s[total]));
            var layers = new LayerAnatomy[model.PackSize][];
            for (int p = 0; p < model.PackSize; p++) layers[p] = new LayerAnatomy[shape.Layers];
            for (int i = 0; i < shape.Layers; i++)
            {
                var w = model.Parameters.W(i).to(ScalarType.Float64);                     // [P, o, n]
                var frobenius = w.mul(w).sum([1, 2]);                                     // [P]
                var sigma = linalg.svdvals(w.nan_to_num(0, 0, 0)).select(1, 0);           // LAPACK refuses NaN (a diverged cell)
                var inputRms = Vector(_inputSquares[i].div(s[total]).sqrt());
                var topShare = _second[i] is { } second ? Vector(TopShare(w, frobenius, second, Math.Min(directions, shape.InSize(i)))) : null;
                var (fro, spectral) = (Vector(frobenius.sqrt()), Vector(sigma));
                var backward = Vector(_backward[i].div(s[total]).sqrt());
                bool hidden = i < shape.Layers - 1;
                var open = hidden ? Vector(_open[i].div(s[(double)total * shape.OutSize(i)])) : null;
                var dead = hidden ? Vector(_everOpen[i].eq(s[0]).sum(1).to(ScalarType.Float64)) : null;
                for (int p = 0; p < model.PackSize; p++)
                    layers[p][i] = new LayerAnatomy(i, shape.InSize(i), shape.OutSize(i), fro[p], spectral[p],
                        fro[p] * fro[p] / (spectral[p] * spectral[p]), ranks[p][i], inputRms[p], topShare?[p], open?[p],
                        dead is null ? null : (int)dead[p], backward[p], shares[p][i]);
            }
            return [.. Enumerable.Range(0, (int)model.PackSize).Select(p => new CellAnatomy(loss[p], accuracy[p], directions, layers[p]))];
        }

        /// <summary>The fraction of ‖W‖² along the top <paramref name="k"/> eigenvectors of the inputs' second moment.</summary>
        private static Tensor TopShare(Tensor w, Tensor frobenius, Tensor second, int k)
        {
            using var s = new HeldScalars();
            var moment = second.to(ScalarType.Float64).nan_to_num(0, 0, 0);                 // a diverged cell's: LAPACK refuses NaN
            // eigh sorts ascending: the last k eigenvectors span the inputs' top k directions.
            var top = linalg.eigh(moment).Item2.narrow(-1, moment.shape[^1] - k, k);    // [n, k] or [P, n, k]
            var projected = w.matmul(top);
            return projected.mul(projected).sum([1, 2]).div(frobenius.clamp_min(s[double.Epsilon]));
        }

        private static double[] Vector(Tensor t) => t.to(ScalarType.Float64).cpu().data<double>().ToArray();

        private static double[][] Host(Tensor t)
        {
            var rows = t.to(ScalarType.Float64).cpu();
            return [.. Enumerable.Range(0, (int)rows.shape[0]).Select(p => rows[p].data<double>().ToArray())];
        }
    }
}
