using System.Runtime.InteropServices;

namespace GradGuessCluster.Client;

/// <summary>
/// Ctrl-C and SIGTERM, handled here rather than by System.CommandLine: its handler cancels the command's token and
/// then blocks until the command returns, so nothing could tell afterwards whether a cancellation that reached the top
/// came from the user or from the cluster (a request pending on a gateway that died), which is a failure to report as
/// such. The first signal cancels <see cref="Token"/> and keeps the process alive while the command checkpoints and
/// stops (`local`, `silo`); later ones are not held back here.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption() => _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];

    public CancellationToken Token => _cancel.Token;

    public bool Requested => Volatile.Read(ref _signals) > 0;

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        if (Interlocked.Increment(ref _signals) > 1) return;
        context.Cancel = true;
        _ = Task.Run(_cancel.Cancel);   // not on the signal thread: the token's callbacks stop hosts
    });

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
