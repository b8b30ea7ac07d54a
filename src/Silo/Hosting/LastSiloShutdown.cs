using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Graceful stop of the cluster's last silo. While other silos live, a stopping silo's training grains stop at an epoch
/// boundary in their deactivation and report to coordinators that migrate elsewhere. The last silo has nowhere to send
/// them: its coordinators deactivate at the same time as its training grains, which then cannot store their final epochs
/// (they checkpoint anyway, keeping those epochs beside the checkpoint for the next run to report). So before the silo
/// starts to stop (the host's "stopping" phase), this suspends every running sweep: packs stop, report and checkpoint
/// while the coordinators are still there, and the stored curves are complete up to the stop.
/// </summary>
public sealed partial class LastSiloShutdown(IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails local,
    SiloHostOptions options, ILogger<LastSiloShutdown> logger) : HostPhaseService
{
    public override async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Count(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress));
        if (others > 0) return;
        // Leave a margin of the host's shutdown time for the silo's own stop.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds * 0.75));
        try
        {
            var sweeps = (await grains.GetGrain<ISweepRegistryGrain>(0).ListAsync().WaitAsync(budget.Token))
                .Where(s => s.State == SweepState.Running).Select(s => grains.GetGrain<ISweepCoordinatorGrain>(s.Name)).ToList();
            if (sweeps.Count == 0) return;
            LogSuspending(sweeps.Count);
            await Task.WhenAll(sweeps.Select(s => s.SuspendAsync())).WaitAsync(budget.Token);
            while (true)
            {
                var running = 0;
                foreach (var sweep in sweeps)
                    running += (await sweep.GetStatusAsync().WaitAsync(budget.Token))?.Count(CellState.Running) ?? 0;
                if (running == 0) break;
                await Task.Delay(100, budget.Token);
            }
            LogSuspended();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: cells not stopped here still stop in their deactivation, from their last periodic checkpoint.
            // Whatever the grains threw (a store down as the silo stops, say): it must not turn a clean stop into exit 1.
            LogSuspendIncomplete(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Last silo stopping: suspending {Sweeps} running sweep(s) so their cells checkpoint")]
    private partial void LogSuspending(int sweeps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running cells stopped and checkpointed")]
    private partial void LogSuspended();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not suspend every running sweep before stopping: {Reason}")]
    private partial void LogSuspendIncomplete(string reason);
}
