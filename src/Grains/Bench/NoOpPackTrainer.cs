using System.Globalization;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.IO;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Grains.Bench;

/// <summary>
/// A pack trainer without tensors. Each cell carries a 64-bit state that every epoch mixes forward; its records are a
/// pure function of that state, so they are a deterministic function of (cell, epoch), and a resume is exact only if
/// the checkpoint (epoch, states, divergence) was saved and loaded correctly.
/// </summary>
public sealed class NoOpPackTrainer : IPackTrainer
{
    private const string Magic = "gradguess-noop-checkpoint 1";
    private readonly TimeSpan _epochDelay;
    private readonly double _divergeAt;
    private readonly ulong[] _state;
    private readonly bool[] _diverged;
    private bool _spent;   // as PackTrainer: cancelled without rollback, it may only be disposed or reloaded

    public NoOpPackTrainer(PackSpec spec, TimeSpan epochDelay, double divergeAtLearningRate)
    {
        Spec = spec;
        _epochDelay = epochDelay;
        _divergeAt = divergeAtLearningRate;
        _state = spec.Cells.Select(c => Mix((ulong)c.Seed * 0x9E3779B97F4A7C15UL ^ (ulong)BitConverter.DoubleToInt64Bits(c.Optimizer.LearningRate)
            ^ (ulong)spec.Estimator.Kind << 56 ^ (ulong)c.Optimizer.Kind << 48)).ToArray();
        _diverged = new bool[spec.Cells.Count];
    }

    public PackSpec Spec { get; }
    public int EpochsCompleted { get; private set; }
    public string? DataDigest => null;   // it reads no data
    public NumericsChange? NumericsChange => null;   // nor computes anything
    public bool IsFinished => EpochsCompleted >= Spec.Epochs || _diverged.All(d => d);

    public IReadOnlyList<EpochMetrics?> RunEpoch(CancellationToken cancellationToken, bool rollBack = true)
    {
        ThrowIfSpent();
        if (IsFinished) throw new InvalidOperationException("the pack has finished training");
        if (_epochDelay > TimeSpan.Zero) cancellationToken.WaitHandle.WaitOne(_epochDelay);
        // Nothing changed yet: the epoch rolls back by not happening. Without rollback it keeps PackTrainer's contract, so
        // a caller that would use the trainer after such a cancel fails here as it would with real training.
        if (cancellationToken.IsCancellationRequested)
        {
            _spent = !rollBack;
            throw new OperationCanceledException(cancellationToken);
        }
        var epoch = ++EpochsCompleted;
        var evaluate = epoch % Spec.EvaluateEvery == 0 || epoch == Spec.Epochs;
        var metrics = new EpochMetrics?[Spec.Cells.Count];
        for (var i = 0; i < metrics.Length; i++)
        {
            if (_diverged[i]) continue;
            _state[i] = Mix(_state[i] + (ulong)epoch);
            var diverges = epoch >= 2 && Spec.Cells[i].Optimizer.LearningRate >= _divergeAt;
            _diverged[i] = diverges;
            var u = (_state[i] >> 11) * (1.0 / (1UL << 53));   // in [0, 1)
            var accuracy = Math.Min(1.0, 0.1 + 0.8 * (1 - 1.0 / (1 + epoch)) + 0.05 * u);
            metrics[i] = new EpochMetrics(epoch, diverges ? double.NaN : 2.3 / epoch + 0.1 * u,
                evaluate && !diverges ? accuracy : null, evaluate && !diverges ? accuracy - 0.05 * u : null,
                null, null, null, Seconds: 0, EvalSeconds: 0, Samples: Spec.Data.SyntheticTrain, Diverged: diverges);
        }
        return metrics;
    }

    public void SaveCheckpoint(string path)
    {
        ThrowIfSpent();
        var lines = new List<string> { Magic, Spec.Cells.Count.ToString(CultureInfo.InvariantCulture), EpochsCompleted.ToString(CultureInfo.InvariantCulture) };
        lines.AddRange(_state.Select((s, i) => $"{s.ToString(CultureInfo.InvariantCulture)} {(_diverged[i] ? 1 : 0)}"));
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    public void LoadCheckpoint(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length < 3 || lines[0] != Magic) throw new CheckpointCorruptException(path, "not a no-op trainer checkpoint");
        if (!int.TryParse(lines[1], CultureInfo.InvariantCulture, out var cells) || cells != _state.Length || lines.Length != 3 + cells)
            throw new CheckpointCorruptException(path, $"expected {_state.Length} cells");
        if (!int.TryParse(lines[2], CultureInfo.InvariantCulture, out var epochs) || epochs < 0 || epochs > Spec.Epochs)
            throw new CheckpointCorruptException(path, "bad epoch count");
        for (var i = 0; i < cells; i++)
        {
            var parts = lines[3 + i].Split(' ');
            if (parts.Length != 2 || !ulong.TryParse(parts[0], CultureInfo.InvariantCulture, out _state[i]))
                throw new CheckpointCorruptException(path, $"bad state of cell {i}");
            _diverged[i] = parts[1] == "1";
        }
        EpochsCompleted = epochs;
        _spent = false;
    }

    private void ThrowIfSpent()
    {
        if (_spent) throw new InvalidOperationException("an epoch of this pack was cancelled without rollback: its state is mid-epoch");
    }

    public void Dispose() { }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
