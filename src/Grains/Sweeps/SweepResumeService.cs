using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// On silo start, wakes the coordinator of every unfinished sweep in the registry, so that a restarted process (or a
/// new silo of a cluster that lost all of them) carries on by itself: coordinators re-poke their running packs, which
/// resume from their checkpoints. Runs in the background with retries; it never delays or fails the silo's start.
/// </summary>
public sealed partial class SweepResumeService(IGrainFactory grains, ILogger<SweepResumeService> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SweepResumeService), ServiceLifecycleStage.Active,
            (CancellationToken ct) =>
            {
                _ = Task.Run(() => WakeAllAsync(_stopping.Token));
                return Task.CompletedTask;
            },
            (CancellationToken ct) =>
            {
                _stopping.Cancel();
                return Task.CompletedTask;
            });

    private async Task WakeAllAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 10 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var sweeps = await grains.GetGrain<ISweepRegistryGrain>(0).ListAsync();
                foreach (var sweep in sweeps.Where(s => s.State == SweepState.Running))
                {
                    await grains.GetGrain<ISweepCoordinatorGrain>(sweep.Name).WakeAsync();
                    LogWoken(sweep.Name);
                }
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogRetry(attempt, e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming unfinished sweep {SweepId}")]
    private partial void LogWoken(string sweepId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list unfinished sweeps (attempt {Attempt}): {Reason}")]
    private partial void LogRetry(int attempt, string reason);
}
