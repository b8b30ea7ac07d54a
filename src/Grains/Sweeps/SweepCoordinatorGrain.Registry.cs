namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Keeping the registry's entry for the sweep: the registry is told to read the sweep's summary, a call back to
/// this activation. A deactivating activation takes no call, so an activation that goes while a sync waits must not wait
/// for it, and one going does not start one (see <see cref="ReloadAfterConflict"/> for the activation's own going).</summary>
public sealed partial class SweepCoordinatorGrain
{
    private int _registrySyncs;   // registry syncs in flight: the registry calls back for the summary meanwhile

    /// <summary>Has the registry read the sweep's state as it is then (after any interleaved cancel or resume).</summary>
    /// <remarks>Not waited for once the silo stops: its deactivation waits for the call (a watchdog tick) that waits here,
    /// and the registry's call back waits for that deactivation, so the three sat out a whole response timeout (30 s by
    /// default, all of <c>local</c>'s stop budget). The sync goes on without this activation: the registry reads the
    /// summary from the next one, and that one's watchdog heals the entry if it cannot.</remarks>
    private async Task SyncRegistryAsync()
    {
        // Going after a conflict (met while a tick or a call was on its way here): the registry's call back would meet the
        // deactivation, which waits for this. The next activation, woken, syncs from the ledger as stored.
        if (_reloading)
        {
            _wakeNext = true;
            return;
        }
        _registrySyncs++;
        try
        {
            await Registry.SyncAsync(Name).WaitAsync(_siloStopping);
        }
        catch (OperationCanceledException) when (_siloStopping.IsCancellationRequested)
        {
            LogRegistrySyncLeftAtStop(Name);
        }
        finally
        {
            if (--_registrySyncs == 0 && _reloading) DeactivateOnIdle();
        }
    }
}
