using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The watchdog (re-pokes packs not heard from, retries admission, heals the registry) and the
/// group-committed ledger write.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private IGrainTimer? _watchdog;
    private string? _ledgerProblem;   // the last ledger write failed, until one succeeds

    /// <summary>Re-pokes running packs not heard from within the watchdog interval (their silo may be dead: the call
    /// re-places them and they resume from their checkpoints), then retries admission.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_reloading) return;   // going after a conflict: its ledger is stale, the next activation acts
        if (Ledger.Deleting)
        {
            PublishProgressGauges();   // a delete stopped halfway: nothing runs, its problem stays shown
            return;
        }
        if (Ledger.State != SweepState.Running && Ledger.Spec is not null)
        {
            await SyncStoppedAsync();   // still ticking: the registry did not hear that the sweep stopped
            return;
        }
        if (Ledger.State != SweepState.Running || _grid is null || _suspended) return;
        // Every cell final in a sweep still running: a completion that no cell change came to make (an extension whose
        // write failed after the last pack ended, a ledger stored so by a build before this check).
        if (await CompleteIfDoneAsync()) return;
        PublishProgressGauges();
        // The ledger is otherwise written on state changes only: a coordinator activated again (another silo, after a
        // conflict) would show its running cells where they started until its curves are read.
        if (_epochsUnsaved) ScheduleSave();   // the write clears the flag as it takes the epochs
        var stale = DateTimeOffset.UtcNow - _options.WatchdogInterval;
        var poke = RunningPackIds().Where(id => !_running.TryGetValue(id, out var r) || r.LastHeard < stale)
            .Select(id => _grid.PacksById[id]).ToList();
        await Task.WhenAll(poke.Select(StartPackAsync));
        await AdmitAsync();
        await SyncRegistryAsync();   // heals a registry entry that a failed or overtaken update left wrong
    }

    private void StartWatchdog() =>
        _watchdog ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromMilliseconds(200),
            Period = _options.WatchdogInterval,
            Interleave = true,
            KeepAlive = true,
        });

    /// <summary>Starts the watchdog of a sweep this silo was told to run (submitted, extended, resumed, woken), and
    /// remembers that for a later activation (<see cref="SweepsToldToRun"/>).</summary>
    private void StartWatchdogAsToldToRun()
    {
        _toldToRun.Add(Name);
        StartWatchdog();
    }

    private void StopWatchdog()
    {
        _watchdog?.Dispose();
        _watchdog = null;
    }

    private Task SaveAsync() => _writer.SaveAsync();

    /// <summary>Saves; a failure is returned, not thrown, for a caller that must finish acting on the change first (the
    /// writer retries it meanwhile).</summary>
    private async Task<Exception?> SaveOrRetryAsync()
    {
        try
        {
            await SaveAsync();
            return null;
        }
        catch (Exception e) when (Failures.Cause(e) is not InconsistentStateException)
        {
            return e;
        }
    }

    /// <summary>Tells the registry that the sweep stopped running (completed or cancelled), then stops the watchdog. The
    /// watchdog's tick is what retries a failed sync: the registry would otherwise list the sweep as running for good.
    /// The ledger is written first: a registry saying "cancelled" over a stored ledger still running (its write failed,
    /// then the silo died) would leave the sweep unwoken, to resume unasked at its next status call.</summary>
    private async Task SyncStoppedAsync()
    {
        StartWatchdog();
        await FlushAsync();
        await SyncRegistryAsync();
        // A delete done meanwhile left an empty ledger, whose state reads Running (its default): no sweep, no watchdog.
        // One stopped halfway keeps the watchdog that shows its problem (KeepShowingHalfDeleted).
        if (Ledger.Spec is null || (Ledger.State != SweepState.Running && !Ledger.Deleting)) StopWatchdog();
    }

    private void ScheduleSave() => _writer.ScheduleSave();

    private Task FlushAsync() => _writer.FlushAsync();
}
