using System.Threading.Channels;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Microsoft.Extensions.Logging;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// Wakes the coordinator of every unfinished sweep in the registry: on silo start (a restarted process, or a new silo of
/// a cluster that lost all of them), and whenever the membership declares a silo dead. Packs re-poke their coordinator
/// and a coordinator re-pokes its packs, but a silo that died with a coordinator and all of its running packs leaves
/// neither, and nothing would call that coordinator again until a client did. A woken coordinator re-pokes its running
/// packs, which are re-placed and resume from their checkpoints.
/// Waking is idempotent (an active coordinator just runs one more watchdog tick), so every silo doing it is harmless.
/// Requests coalesce: one pass at a time, and deaths during a pass queue one more. A pass retries with backoff until it
/// succeeds: right after a death the registry or a coordinator may still be addressed to the dead silo. All of it runs
/// in the background; it never delays or fails the silo's start.
/// </summary>
public sealed partial class SweepResumeService(IGrainFactory grains, IClusterMembershipService membership, ILogger<SweepResumeService> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<bool> _wakeRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SweepResumeService), ServiceLifecycleStage.Active,
            (CancellationToken ct) =>
            {
                _wakeRequests.Writer.TryWrite(true);
                _ = Task.Run(() => WakeOnRequestAsync(_stopping.Token));
                _ = Task.Run(() => WatchForDeathsAsync(_stopping.Token));
                return Task.CompletedTask;
            },
            (CancellationToken ct) =>
            {
                _stopping.Cancel();
                return Task.CompletedTask;
            });

    private async Task WakeOnRequestAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in _wakeRequests.Reader.ReadAllAsync(cancellationToken)) await WakeAllAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // silo stopping
        }
    }

    /// <summary>One pass: list the running sweeps and wake each; on any failure, back off and do the whole pass again.</summary>
    private async Task WakeAllAsync(CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var sweeps = await grains.GetGrain<ISweepRegistryGrain>(0).ListAsync();
                await Task.WhenAll(sweeps.Where(s => s.State == SweepState.Running).Select(async sweep =>
                {
                    await grains.GetGrain<ISweepCoordinatorGrain>(sweep.Name).WakeAsync();
                    LogWoken(sweep.Name);
                }));
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogRetry(attempt, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    /// <summary>Requests a pass whenever a silo newly appears as dead in the membership.</summary>
    private async Task WatchForDeathsAsync(CancellationToken cancellationToken)
    {
        var dead = DeadSilos(membership.CurrentSnapshot);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                foreach (var member in snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && !dead.Contains(m.SiloAddress)))
                {
                    LogSiloDied(member.Name ?? member.SiloAddress.ToString());
                    _wakeRequests.Writer.TryWrite(true);
                }
                dead = DeadSilos(snapshot);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // silo stopping
        }
        catch (Exception e)
        {
            LogWatchFailed(e);
        }
    }

    private static HashSet<SiloAddress> DeadSilos(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming unfinished sweep {SweepId}")]
    private partial void LogWoken(string sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} left the cluster (stopped, or declared dead): waking the unfinished sweeps")]
    private partial void LogSiloDied(string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake the unfinished sweeps (attempt {Attempt}, again in {Seconds} s): {Reason}")]
    private partial void LogRetry(int attempt, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopped watching the membership for dead silos")]
    private partial void LogWatchFailed(Exception e);
}
