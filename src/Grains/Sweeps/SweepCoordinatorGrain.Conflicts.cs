using GradGuessCluster.Grains.Interfaces;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>A ledger write that meets an ETag conflict: the stored ledger moved on without this activation (another
/// activation wrote it, or a retried write's first try had landed). The activation goes, and the next one reads the
/// ledger again; one whose watchdog ran wakes the next, so that a sweep with no pack calling it is watched again.</summary>
public sealed partial class SweepCoordinatorGrain : IIncomingGrainCallFilter
{
    private const int WakeAttempts = 5;
    private bool _reloading, _wakeNext;   // a write met a conflict: this activation goes (and wakes the next)

    /// <summary>Orleans deactivates an activation at once when a call lets an <see cref="InconsistentStateException"/>
    /// escape. During a registry sync that stalls (see <see cref="ReloadAfterConflict"/>), so a conflict of this
    /// activation's ledger writes (the writer has called <see cref="ReloadAfterConflict"/>) is told the caller in words.
    /// Another grain's conflict passed on is left as it is: Orleans deactivates only the activation it arose in.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (_reloading && Failures.Cause(e) is InconsistentStateException conflict)
        {
            throw new InvalidOperationException($"sweep '{Name}': its ledger was written by another meanwhile, so this " +
                "call's change was not stored; the sweep reads its ledger again: try again", conflict);
        }
    }

    /// <summary>Deactivates, and has the next activation woken if the watchdog ran: an activation comes only with a call,
    /// and a sweep with no pack training (its next start in a backoff, or not yet made) has nothing that calls it, so it
    /// waited for a client's read.</summary>
    /// <remarks>Not while a registry sync is in flight: the registry calls back for the summary, and a deactivating
    /// activation takes no call, so the sync, the deactivation waiting on it and a wake sent meanwhile all sat out a whole
    /// response timeout (a CI run's wake was lost so). It deactivates once the sync is done.</remarks>
    private void ReloadAfterConflict()
    {
        if (_reloading) return;
        _reloading = true;
        _wakeNext = _watchdog is not null;
        if (_wakeNext) LogReloadAfterConflict(Name);
        if (_registrySyncs == 0) DeactivateOnIdle();
    }

    /// <summary>From <see cref="OnDeactivateAsync"/>: off the activation, after a watchdog interval, tried a few times,
    /// as a call meeting the going activation may be refused.</summary>
    private void WakeNextActivation()
    {
        var self = this.AsReference<ISweepCoordinatorGrain>();
        var (after, name) = (_options.WatchdogInterval, Name);
        _ = Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                await Task.Delay(after);
                try
                {
                    await self.WakeAsync();
                    return;
                }
                catch (Exception e) when (attempt < WakeAttempts)
                {
                    LogWakeAfterConflictRetried(name, Failures.Describe(e), attempt + 1, WakeAttempts);
                }
                catch (Exception e)
                {
                    LogWakeAfterConflictFailed(name, Failures.Describe(e));   // its next caller activates it
                    return;
                }
            }
        });
    }
}
