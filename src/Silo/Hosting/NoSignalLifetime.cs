using Microsoft.Extensions.Hosting;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>A host lifetime that leaves SIGINT and SIGTERM alone, for hosts inside a <c>gradguess</c> command, whose own
/// handler (<c>Interruption</c>) cancels the command on the first signal and leaves later ones to the runtime. The
/// default console lifetime marks every signal handled while the host runs, so a second Ctrl-C no longer ended the
/// process while a silo stopped or a sweep suspended.</summary>
public sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
