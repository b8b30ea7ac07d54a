using System.Diagnostics;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Diagnostics;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Weights;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Loop;

/// <summary>
/// Trains a pack of cells epoch by epoch: seeded shuffles, one estimator step per mini-batch, evaluation when due,
/// divergence detection, checkpoints. Scalars are read from the device once per epoch, not per step.
/// </summary>
public sealed class PackTrainer : IPackTrainer
{
    private readonly Dataset _data;
    private readonly IGradientEstimator _estimator;
    private readonly IPackOptimizer _optimizer;
    private readonly GuessStreams _guesses;
    private readonly LayeredTensor _update;
    private readonly string _fingerprint;
    private readonly string _configuration;
    private LayeredTensor? _trueGradient;
    private int[] _divergedAt;
    private long _step;
    private bool _spent;   // an epoch failed, or was cancelled without a copy to roll back to: the state is mid-epoch

    /// <param name="data">Must live on <paramref name="device"/>; not disposed by the trainer.</param>
    public PackTrainer(PackSpec spec, Dataset data, Device device)
    {
        PackSpecChecks.Validate(spec);
        Spec = spec;
        _data = data;
        Shape = new MlpShape(data.Features, spec.Width, spec.Depth, data.Classes);
        PackSpecChecks.CheckParameters(spec, Shape);
        var seeds = spec.Cells.Select(c => (long)c.Seed).ToArray();
        Model = spec.InitFrom is { } file
            ? new MlpPack(Shape, InitialWeights.Pack(file, spec.InitDigest, Shape, spec.PackSize, device))
            : MlpPack.Create(Shape, seeds, device, spec.InitScale ?? 1.0);
        try
        {
            _estimator = EstimatorFactory.Create(spec.Estimator);
            _optimizer = OptimizerFactory.Create(spec.Cells.Select(c => c.Optimizer).ToArray(), Shape, device);
            _guesses = new GuessStreams(seeds, device);
            _update = LayeredTensor.Zeros(Shape, spec.PackSize, device);
        }
        catch
        {
            // Out of memory part-way (a GPU shared with other packs): what was allocated is freed now, not at some later
            // GC, or each retry of the pack would find less device memory than the one before.
            _optimizer?.Dispose();
            Model.Dispose();
            throw;
        }
        _configuration = PackFingerprint.Configuration(spec);
        _fingerprint = PackFingerprint.Of(spec);
        _divergedAt = new int[spec.PackSize];
    }

    public PackSpec Spec { get; }
    public MlpShape Shape { get; }
    public MlpPack Model { get; }
    public int EpochsCompleted { get; private set; }
    public bool IsFinished => EpochsCompleted >= Spec.Epochs || _divergedAt.All(e => e > 0);

    /// <summary>Called from the training thread every few steps; must be thread-safe.</summary>
    public Action<EpochProgress>? Progress { get; set; }

    /// <summary>For profiling (<c>bench --phases</c>): called on the training thread as each phase of every step ends.
    /// CPU ops run synchronously, so wall time between marks is the phase's cost; on a GPU the mark must wait for
    /// the device first, or it times kernel launches.</summary>
    public Action<StepPhase>? PhaseMark { get; set; }

    /// <summary>Matmul FLOPs one training epoch of the pack executes (for the bench).</summary>
    public double FlopsPerEpoch => new PackWorkload(Spec, new DataShape(_data.TrainCount, _data.TestCount, _data.Features, _data.Classes))
        .TrainFlopsPerEpoch;

    public IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true)
    {
        ThrowIfSpent();
        if (IsFinished) throw new InvalidOperationException("the pack has finished training");
        int epoch = EpochsCompleted + 1;
        var snapshot = rollBack ? PackCheckpoint.Capture(this) : null;   // lets a cancelled epoch return to its start
        try
        {
            var (loss, alignment, seconds) = TrainPass(epoch, cancellationToken);
            return Finish(epoch, loss, alignment, seconds);
        }
        catch (OperationCanceledException)
        {
            if (snapshot is null) _spent = true;
            else PackCheckpoint.Apply(this, snapshot);
            throw;
        }
        catch
        {
            // Failed part-way (a device out of memory in the evaluation after every step): the state is mid-epoch, and a
            // caller that went on would train the epoch again or checkpoint it as the one before. No rollback: it may fail alike.
            _spent = true;
            throw;
        }
        finally
        {
            if (snapshot is not null) foreach (var t in snapshot.Tensors.Values) t.Dispose();
        }
    }

    private void ThrowIfSpent()
    {
        if (_spent) throw new InvalidOperationException("an epoch of this pack was cancelled without rollback, or failed: its state is mid-epoch");
    }

    private (double[] Loss, EpochAlignment? Alignment, double Seconds) TrainPass(int epoch, CancellationToken ct)
    {
        var device = Model.Device;
        long n = _data.TrainCount, batch = Spec.BatchSize;
        int steps = SeededBatchOrder.BatchCount(n, Spec.BatchSize);   // as PackWorkload counts them for a plan
        int reportEvery = Math.Max(1, steps / 20);
        using var sums = NewDisposeScope();
        using var held = new HeldScalars();
        var lossSum = zeros(Spec.PackSize, device: device);
        var samples = new GradientSamples(Spec.PackSize, Shape.Layers, device);
        var clock = Stopwatch.StartNew();
        using var order = SeededBatchOrder.Permutation(n, Spec.DataSeed, epoch);
        using var perm = order.to(device);
        using var flush = device.type == TorchSharp.DeviceType.CPU ? SubnormalFlush.Begin() : default;
        _optimizer.BeginEpoch(epoch);
        for (int s = 0; s < steps; s++)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var idx = perm.narrow(0, s * batch, Math.Min(batch, n - s * batch));
            var x = _data.TrainX.index_select(0, idx);
            var y = _data.TrainY.index_select(0, idx);
            PhaseMark?.Invoke(StepPhase.Batch);
            var fwd = Model.Forward(x);
            PhaseMark?.Invoke(StepPhase.Forward);
            var (stepLoss, logitGradient) = LossTerms.LossAndGradient(fwd.Logits, y);
            lossSum.add_(stepLoss, Scalars.One);
            PhaseMark?.Invoke(StepPhase.Loss);
            _estimator.Estimate(Model, fwd, logitGradient, _guesses, _update);
            PhaseMark?.Invoke(StepPhase.Estimate);
            Tensor? before = null;
            if (Spec.SamplesCosineAt(_step))
            {
                _trueGradient ??= _update.ZerosLike();
                Backprop.Gradient(Model, fwd, logitGradient, _trueGradient);
                samples.Add(_update, _trueGradient);
                before = Model.Parameters.Flat.clone();
                PhaseMark?.Invoke(StepPhase.Diagnostics);
            }
            _optimizer.Step(Model.Parameters, _update);
            PhaseMark?.Invoke(StepPhase.Optimizer);
            // After the optimizer's phase mark: a bench samples no step, so its phases stay as they were timed.
            if (before is not null)
            {
                using var descent = new LayeredTensor(Shape, before.sub_(Model.Parameters.Flat));   // owns it from here
                samples.AddStep(descent, _trueGradient!);
            }
            _step++;
            if ((s + 1) % reportEvery == 0 || s + 1 == steps) Progress?.Invoke(new EpochProgress(epoch, s + 1, steps));
        }
        var loss = lossSum.div(held[steps]).cpu().data<float>().Select(v => (double)v).ToArray();   // waits for the device
        double seconds = clock.Elapsed.TotalSeconds;
        return (loss, samples.Mean(), seconds);
    }

    private EpochMetrics?[] Finish(int epoch, double[] loss, EpochAlignment? alignment, double seconds)
    {
        bool[] finite;
        using (NewDisposeScope())
        {
            // The optimizer's state too: AdamW's second moment overflows to inf on a huge but finite gradient, after which
            // the steps of those weights are 0 for the rest of the run while they stay finite: a cell frozen in part (or
            // whole) that would report its accuracy as if it trained.
            var ok = Model.Parameters.Flat.isfinite().all(1);
            foreach (var state in _optimizer.State.Values) ok = ok.logical_and(state.isfinite().all(1));
            finite = ok.cpu().data<bool>().ToArray();
        }
        bool evaluate = Spec.Evaluates(epoch);
        var clock = Stopwatch.StartNew();
        double[]? trainAcc = evaluate ? Evaluator.Accuracy(Model, _data.TrainX, _data.TrainY) : null;
        double[]? testAcc = evaluate ? Evaluator.Accuracy(Model, _data.TestX, _data.TestY) : null;
        double[][]? ranks = null;
        if (evaluate && Spec.EffectiveRank)
        {
            using var scope = NewDisposeScope();
            var r = EffectiveRank.Compute(Model.Parameters).cpu();
            ranks = Enumerable.Range(0, Spec.PackSize).Select(p => r[p].data<float>().Select(v => (double)v).ToArray()).ToArray();
        }
        double evalSeconds = clock.Elapsed.TotalSeconds;

        var records = new EpochMetrics?[Spec.PackSize];
        for (int p = 0; p < Spec.PackSize; p++)
        {
            if (_divergedAt[p] > 0) continue;
            // A model whose weights are finite can still overflow on some inputs: its accuracy reads NaN then.
            bool diverged = !double.IsFinite(loss[p]) || !finite[p] || trainAcc is { } tr && double.IsNaN(tr[p]) || testAcc is { } te && double.IsNaN(te[p]);
            if (diverged) _divergedAt[p] = epoch;
            // Accuracy and rank of NaN/inf weights mean nothing (a NaN model scores about chance): a diverged cell's last
            // record has none. Its loss and cosine were measured while it trained and stay as they are (possibly NaN).
            records[p] = new EpochMetrics(epoch, loss[p], diverged ? null : trainAcc?[p], diverged ? null : testAcc?[p], alignment?.Cosine[p],
                alignment?.LayerCosine[p], diverged ? null : ranks?[p], seconds, evalSeconds, _data.TrainCount, diverged,
                alignment?.Projection[p], alignment?.UpdateNormRatio[p], alignment?.StepCosine[p],
                alignment?.LayerStepCosine[p], alignment?.LayerGradientShare[p], alignment?.LayerUpdateShare[p], alignment?.LayerStepShare[p]);
        }
        EpochsCompleted = epoch;
        return records;
    }

    public void SaveCheckpoint(string path)
    {
        ThrowIfSpent();
        var state = PackCheckpoint.Capture(this, copy: false);   // written from the live tensors: no second copy of the pack
        try { CheckpointFile.Write(path, state); }
        finally { foreach (var t in state.Tensors.Values) t.Dispose(); }
    }

    /// <summary>Continues from a checkpoint written by a trainer of the same pack configuration.</summary>
    public void LoadCheckpoint(string path)
    {
        using var scope = NewDisposeScope();                 // the file's tensors too: no temporary outside a scope
        bool reading = false, done = false;
        CheckpointState? state = null;
        try
        {
            // The weights and moments are read straight into the trainer's (on the CPU): a resumed pack holds no second
            // copy of them. The checks come first, so a refused file leaves the trainer as it was.
            state = CheckpointFile.Read(path, header =>
            {
                CheckBelongs(path, header);
                reading = true;
                return name => PackCheckpoint.Live(this, name);
            });
            PackCheckpoint.Apply(this, state);
            NumericsChange = state.Numerics is { } stored && Numerics is var now && stored != now
                ? new NumericsChange(stored, now) : null;
            _spent = false;
            done = true;
        }
        catch (ArgumentException e) { throw new CheckpointCorruptException(path, e.Message, e); }
        finally
        {
            if (state is not null) foreach (var t in state.Tensors.Values) t.Dispose();
            if (reading && !done) _spent = true;   // the live tensors may be part-read: only another load revives it
        }
    }

    private void CheckBelongs(string path, CheckpointState header)
    {
        if (header.Fingerprint != _fingerprint)
        {
            var differences = PackFingerprint.Compare(header.Configuration, _configuration);
            throw new CheckpointCorruptException(path, "belongs to a different pack configuration (fingerprint mismatch)"
                + (differences.Count > 0 ? ": " + PackFingerprint.Describe(differences) : "")) { Differences = differences };
        }
        if (header.DataDigest is { } trained && _data.Digest is { } now && trained != now)
            throw new DataChangedException($"checkpoint {path}: trained on other data than {DataLocations.Describe(Spec.Data)} holds now "
                + $"(data digest {trained}, now {now}); put back the files it trained on");
    }

    public string? DataDigest => _data.Digest;

    public NumericsChange? NumericsChange { get; private set; }

    /// <summary>What decides this pack's floating-point results besides its configuration and data (<see cref="NumericsPath"/>).</summary>
    public string Numerics => NumericsPath.Of(Model.Device, Spec.Estimator);

    // State access for PackCheckpoint (same assembly), kept off the public surface.
    internal string Fingerprint => _fingerprint;
    internal string Configuration => _configuration;
    internal long StepCount { get => _step; set => _step = value; }
    internal int[] DivergedAt { get => _divergedAt; set => _divergedAt = value; }
    internal IPackOptimizer Optimizer => _optimizer;
    internal GuessStreams Guesses => _guesses;
    internal void SetEpochsCompleted(int epochs) => EpochsCompleted = epochs;

    public void Dispose()
    {
        Model.Dispose();
        _optimizer.Dispose();
        _update.Dispose();
        _trueGradient?.Dispose();
    }
}
