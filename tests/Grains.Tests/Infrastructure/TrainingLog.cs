using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Wraps a trainer factory to record where packs train: which silo and device, and how many at once.</summary>
public sealed class TrainingLog
{
    private readonly object _gate = new();
    private readonly List<(string Silo, string Device)> _active = [];

    private readonly List<string> _violations = [];
    private readonly List<(string Silo, string Device)> _opened = [];
    private int _maxConcurrent;

    // Silo threads add while a test reads: every read is a snapshot taken under the lock.
    public int MaxConcurrent { get { lock (_gate) return _maxConcurrent; } }
    public IReadOnlyList<string> Violations { get { lock (_gate) return _violations.ToArray(); } }
    public IReadOnlyList<(string Silo, string Device)> Opened { get { lock (_gate) return _opened.ToArray(); } }

    public IPackTrainerFactory For(string silo, IPackTrainerFactory inner) => new Factory(this, silo, inner);

    private void Enter(string silo, string device)
    {
        lock (_gate)
        {
            if (_active.Contains((silo, device))) _violations.Add($"{silo} {device} used by two packs at once");
            _active.Add((silo, device));
            _opened.Add((silo, device));
            _maxConcurrent = Math.Max(_maxConcurrent, _active.Count);
        }
    }

    private void Leave(string silo, string device)
    {
        lock (_gate) _active.Remove((silo, device));
    }

    private sealed class Factory(TrainingLog log, string silo, IPackTrainerFactory inner) : IPackTrainerFactory
    {
        public IPackTrainer Open(PackSpec spec, string? checkpointPath, string device)
        {
            var trainer = inner.Open(spec, checkpointPath, device);
            log.Enter(silo, device);
            return new Tracked(trainer, () => log.Leave(silo, device));
        }
    }

    private sealed class Tracked(IPackTrainer inner, Action onDispose) : DelegatingPackTrainer(inner)
    {
        private int _disposed;

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            base.Dispose();
            onDispose();
        }
    }
}
