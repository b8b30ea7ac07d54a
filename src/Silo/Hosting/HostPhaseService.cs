using Microsoft.Extensions.Hosting;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>A hosted service that acts in the host's phases it overrides and passes the others: the ones here each act in
/// one (a check while the host starts, readiness and a suspend as it starts to stop).</summary>
public abstract class HostPhaseService : IHostedLifecycleService
{
    public virtual Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
