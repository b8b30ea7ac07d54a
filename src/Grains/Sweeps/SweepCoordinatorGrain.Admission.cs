using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Admission: which queued packs start, as far as the slot ledger gives this sweep slots; why the others wait
/// (slots, memory, a slot placement found taken, a failed start); and the stop of a running pack.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private bool _suspended, _admitting, _admitAgain;
    private bool _askedForSlots;   // the slot ledger counts this sweep as waiting
    private (int Ready, SlotShare Share)? _lastAsk;   // the last admission's ready packs and the ledger's answer; null: none waits
    private string? _admissionProblem;
    private readonly Dictionary<string, StartBackoff> _startBackoff = new();   // pack → why and until when it waits
    private readonly Dictionary<string, MemoryWait> _memoryWaits = new();       // pack → the silo's refusal, and its next try
    private readonly Dictionary<string, PlacementWait> _placementWaits = new(); // pack → placement's refusal, and its next try
    private readonly Dictionary<string, RetriedStop> _retriedStops = new();     // pack → why its runs stopped, and its next try
    private IGrainTimer? _waitsOver;   // admits again when the first memory or slot wait is over

    /// <summary>A pack whose silo had no memory left for it (<c>NotEnoughMemoryException</c>): not a failed start, but a
    /// wait for packs to end, so it is tried again after a short fixed pause and status tells it as waiting.</summary>
    private sealed record MemoryWait(DateTimeOffset NotBefore, string Reason);

    private static readonly TimeSpan MemoryRetry = TimeSpan.FromSeconds(2);

    /// <summary>Starts queued packs, in grid order, as far as the slot ledger gives this sweep slots (its share beside the
    /// other sweeps waiting). One admission runs at a time; calls during it make it go round once more.</summary>
    private async Task AdmitAsync()
    {
        if (_admitting)
        {
            _admitAgain = true;
            return;
        }
        _admitting = true;
        try
        {
            do
            {
                _admitAgain = false;
                // Each early end goes round again if a call came in meanwhile (a wake, a pack ended): while(_admitAgain).
                if (!Admitting() || !Queued().Any())
                {
                    _lastAsk = null;
                    await WithdrawDemandAsync();
                    continue;
                }
                var now = DateTimeOffset.UtcNow;
                var ready = Ready(now).ToList();
                // The first ready pack is the first to start: the ledger counts the free slots with room for it.
                var next = ready.Count > 0 ? HostBytesHint(ready[0].ToWork(Ledger.Spec!, Ledger.Incarnation), quiet: true) : default;
                var share = await GrainFactory.GetGrain<IGpuLedgerGrain>(0).GetShareAsync(Name, ready.Count, Priority, next.Cpu, next.Gpu);
                _askedForSlots = ready.Count > 0;
                _lastAsk = (ready.Count, share);
                _admissionProblem = ready.Count > 0 && share.Total == 0
                    ? "no silo of the cluster offers a training slot: the queued packs wait for one (start a silo with --gpus or --cpu-training)"
                    : null;
                // A cancel, suspend or report may have come in while we asked: decide on the ledger as it is now. A cancel
                // during a first ask found nothing to withdraw, and the ledger now counts (and holds slots for) this sweep.
                if (!Admitting())
                {
                    _lastAsk = null;
                    await WithdrawDemandAsync();
                    continue;
                }
                var admitted = Ready(now).Take(share.Granted).ToList();
                if (admitted.Count == 0) continue;
                foreach (var pack in admitted)
                {
                    _running[pack.PackId] = new RunningPack(DateTimeOffset.UtcNow, null, null);
                    _packPace.Forget(pack.PackId);
                    foreach (var cell in pack.Cells.Where(c => Ledger.Cells[c.CellId].State == CellState.Queued))
                        Ledger.Cells[cell.CellId].State = CellState.Running;
                }
                ScheduleSave();
                PublishCounts();
                // The ledger holds the granted slots for these packs until they reserve them, and counts only the rest as
                // waiting: no second ask is needed to say what still waits.
                await Task.WhenAll(admitted.Select(StartPackAsync));
            } while (_admitAgain);
        }
        catch (Exception e)
        {
            _admissionProblem = "cells cannot be started: " + Failures.Describe(e);
            LogAdmissionFailed(Name, $"{Failures.Cause(e).GetType().Name}: {Failures.Describe(e)}");   // the watchdog retries
        }
        finally
        {
            _admitting = false;
        }
    }

    /// <summary>Not while going after a conflict: its ledger is stale (the sweep may have been resumed elsewhere since),
    /// so a slot granted to it is withdrawn and the next activation, which reads the ledger first, starts the pack.</summary>
    private bool Admitting() => !_reloading && Ledger.State == SweepState.Running && !_suspended && _grid is not null;

    /// <summary>Tells the slot ledger this sweep waits for no slot any more (nothing queued, cancelled, suspended), so the
    /// share it was counted for goes to the sweeps that wait. Best effort: the ledger forgets a sweep that stops asking.</summary>
    private async Task WithdrawDemandAsync()
    {
        if (!_askedForSlots) return;
        _askedForSlots = false;
        try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).GetShareAsync(Name, 0, Priority); }
        catch (Exception e) { LogAdmissionFailed(Name, "withdrawing from the slot ledger: " + Failures.Describe(e)); }
    }

    /// <summary>Ready packs the last admission found no slot for (the packs-waiting gauge).</summary>
    private int PacksWaiting => _lastAsk is (int ready, SlotShare share) ? Math.Max(0, ready - share.Granted) : 0;

    /// <summary>Status's note while this sweep's ready packs wait for a slot that free ones have no memory for, or that other
    /// sweeps hold. The latter only while other sweeps share the slots: a sweep with more packs than slots always has some
    /// queued.</summary>
    private string? WaitingForSlots => PacksWaiting > 0 && _lastAsk is (_, SlotShare share) && share.Total > 0
        ? share.NoRoom > 0
            ? $"{Waits} for a slot with room for them: {Units.Count(share.NoRoom, "slot")} {(share.NoRoom == 1 ? "is" : "are")} free, on silos whose memory for " +
              "packs (cpu.memory) the packs training there hold"
            : share.Sweeps > 1
                ? $"{Waits} for a slot: the cluster's {share.Total} {(share.Total == 1 ? "is" : "are")} in use, shared with {Units.Count(share.Sweeps - 1, "other sweep")}"
                : null
        : null;

    private string Waits => Units.Count(PacksWaiting, "pack") + (PacksWaiting == 1 ? " waits" : " wait");

    /// <summary>Status's note while a queued pack waits for memory on its silo (the first such pack).</summary>
    private string? WaitingForMemory => _memoryWaits
        .Where(kv => _grid?.PacksById.GetValueOrDefault(kv.Key) is { } p && p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued))
        .Select(kv => $"pack {kv.Key} {kv.Value.Reason}").FirstOrDefault();

    /// <summary>Status's note while a queued pack waits for a slot that placement found taken (the first such pack).</summary>
    private string? WaitingForPlacement => _placementWaits
        .Where(kv => _grid?.PacksById.GetValueOrDefault(kv.Key) is { } p && p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued))
        .Select(kv => kv.Value.Describe(kv.Key)).FirstOrDefault();

    /// <summary>Queued packs not pausing after a failed start, nor waiting for memory or a slot.</summary>
    private IEnumerable<GridPack> Ready(DateTimeOffset now) =>
        Queued().Where(p => !(_startBackoff.GetValueOrDefault(p.PackId)?.NotBefore > now) && !(_memoryWaits.GetValueOrDefault(p.PackId)?.NotBefore > now)
                            && !(_placementWaits.GetValueOrDefault(p.PackId)?.NotBefore > now) && !(_retriedStops.GetValueOrDefault(p.PackId)?.NotBefore > now));

    /// <summary>A slot came free (a pack of this sweep ended, and released its slot before saying so): the packs that found
    /// none at placement are tried again now, not when their pause is over.</summary>
    private void SlotFreed()
    {
        if (_placementWaits.Count == 0) return;
        _placementWaits.Clear();
        _ = AdmitAsync();
    }

    /// <summary>Admits again when the first memory or slot wait is over: the watchdog's next tick after it could come up
    /// to its interval (5 s by default) later, beside waits of 2 s (memory) and at most 4 s (a slot).</summary>
    private void AdmitWhenWaitsEnd()
    {
        // Waits already over stay listed until their pack starts: timed from one of those, the timer would fire at once,
        // find nothing ready, and leave the new wait to the watchdog's next tick.
        var now = DateTimeOffset.UtcNow;
        var first = _memoryWaits.Values.Select(w => w.NotBefore).Concat(_placementWaits.Values.Select(w => w.NotBefore))
            .Concat(_retriedStops.Values.Select(w => w.NotBefore)).Where(t => t > now).Order().FirstOrDefault();
        if (first == default) return;
        var due = first - now;
        if (_waitsOver is not null) _waitsOver.Change(due, Timeout.InfiniteTimeSpan);
        else _waitsOver = this.RegisterGrainTimer(_ => AdmitAsync(), new GrainTimerCreationOptions
        {
            DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true,
        });
    }

    /// <summary>Packs waiting for a slot: a queued cell and none running. (Not keyed on <c>_running</c>: an entry the
    /// pack's lost end report left behind would block it for good.)</summary>
    private IEnumerable<GridPack> Queued() => _grid!.Packs.Where(p =>
        p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued)
        && p.Cells.All(c => Ledger.Cells[c.CellId].State != CellState.Running && _reopening?.Contains(c.CellId) != true));

    /// <summary>Starts or re-pokes a pack (idempotent on the training grain). A failure puts its cells back in the queue,
    /// to be tried again after a pause: a short one where it waits for memory or for a slot (placement found none free),
    /// else (a dead silo, an unreadable state) one that grows with each failure; nothing is lost.</summary>
    private async Task StartPackAsync(GridPack pack)
    {
        var grain = GrainFactory.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For(Name, pack.PackId));
        PackProgress? reply = null;
        try
        {
            var work = pack.ToWork(Ledger.Spec!, Ledger.Incarnation);
            using (PlacementHints.HostBytes(HostBytesHint(work)))
                reply = ShortFinish.Judge(await grain.StartAsync(work), work.Spec.Epochs, pack.PackId);
            _startBackoff.Remove(pack.PackId);
            _memoryWaits.Remove(pack.PackId);
            _placementWaits.Remove(pack.PackId);
            if (!StaleRun(pack, reply)) await ApplyAsync(pack, reply);
        }
        // Only the start's own failures: folding its reply reads curves, and a damaged chunk there is not the pack's state.
        catch (Exception e) when (reply is null && Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            // The training grain cannot activate over a damaged stored state, and no retry changes that: re-queued, the pack
            // would take the slot placement reserved for it (until that reservation lapses) again and again, and nothing
            // behind it would ever train. Fail its cells with the way out, and give the slot back now.
            LogStartFailed(Name, pack.PackId, corrupt.Message);
            try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).ReleaseAsync(grain.GetGrainId()); }
            catch (Exception release) { LogStartFailed(Name, pack.PackId, "release: " + release.Message); }
            var error = $"{corrupt.Message}; {corrupt.WayOut} and resume the sweep (the pack continues from its checkpoint)";
            await FoldFailedStartAsync(pack, new PackProgress(PackRunState.Failed, 0, null, null,
                pack.Cells.Select(c => new CellOutcome(c.CellId, CellState.Failed, 0, error)).ToList()));
        }
        catch (Exception e) when (reply is not null)
        {
            // Left as it was: its cells still run in the ledger, so the watchdog pokes the pack again and folds its reply then.
            LogStartFailed(Name, pack.PackId, "folding its reply: " + Failures.Describe(e));
        }
        catch (Exception e)
        {
            if (Failures.Cause(e) is NotEnoughMemoryException memory)
            {
                LogWaitingForMemory(Name, pack.PackId, memory.Message);
                _memoryWaits[pack.PackId] = new MemoryWait(DateTimeOffset.UtcNow + MemoryRetry, memory.Message);
                AdmitWhenWaitsEnd();
            }
            else if (Failures.Cause(e) is NoTrainingSlotException noSlot)
            {
                // The ledger granted a slot that placement (or the silo, at its claim) found taken: a race with another
                // start, or a silo that just left. A wait for a slot like any other, not a start that failed.
                LogWaitingForSlot(Name, pack.PackId, noSlot.Message);
                _placementWaits[pack.PackId] = PlacementWait.After(_placementWaits.GetValueOrDefault(pack.PackId), noSlot.Message, DateTimeOffset.UtcNow);
                AdmitWhenWaitsEnd();
            }
            else
            {
                var reason = $"{Failures.Cause(e).GetType().Name}: {Failures.Describe(e)}";
                LogStartFailed(Name, pack.PackId, reason);
                _startBackoff[pack.PackId] = StartBackoff.After(_startBackoff.GetValueOrDefault(pack.PackId), reason, DateTimeOffset.UtcNow);
            }
            // A start that failed before its claim (the grain could not activate) holds a reservation that would keep its
            // slot from the packs behind it until it lapses; a pack that claimed its slot may be training and keeps it.
            try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).ReleaseUnclaimedAsync(grain.GetGrainId()); }
            catch (Exception release) { LogStartFailed(Name, pack.PackId, "release: " + release.Message); }
            await FoldFailedStartAsync(pack, new PackProgress(PackRunState.Idle, 0, null, null, null));
        }
    }

    /// <summary>What the pack holds of host memory on a CPU or GPU slot, for placement; 0 (not known) where it cannot be
    /// told: a hint that fails must not fail the start (the training grain counts the pack itself, and says why if it cannot).</summary>
    private PackHostBytes HostBytesHint(PackWork work, bool quiet = false)
    {
        try { return PackMemory.HostBytes(work); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            if (!quiet) LogUnsizedPlacement(Name, work.PackId, Failures.Describe(e));   // quiet: its start logs it
            return default;
        }
    }

    /// <summary>Folds in what a failed start means; a fold that fails too (curves unreadable) is logged, not thrown, so the
    /// watchdog's other pokes and its admission still run.</summary>
    private async Task FoldFailedStartAsync(GridPack pack, PackProgress progress)
    {
        try { await ApplyAsync(pack, progress); }
        catch (Exception e) { LogStartFailed(Name, pack.PackId, "folding the failed start: " + Failures.Describe(e)); }
    }

    /// <summary>Asks a pack to stop at its epoch boundary. A pack the stop misses still stops: its next epoch report is
    /// answered with a stop while the sweep is stopped or suspended.</summary>
    private async Task StopPackAsync(string packId)
    {
        try
        {
            await GrainFactory.GetGrain<ITrainingCellGrain>(TrainingCellKeys.For(Name, packId)).StopAsync();
        }
        catch (NoTrainingSlotException)
        {
            // The stop had to place a new activation (its silo is gone, or it never started) and found no slot: it runs nowhere.
            LogStopNowhere(Name, packId);
        }
        catch (Exception e)
        {
            LogStopFailed(Name, packId, Failures.Describe(e));
        }
    }

    /// <summary>For status: the queued pack that failed to start, or whose runs stopped for a cause that may pass (its GPU
    /// out of memory, its checkpoint unwritten), most often, once more than a moment's worth.</summary>
    private string? StartProblem() =>
        _startBackoff.Select(kv => (Pack: kv.Key, kv.Value.Failures, Text: kv.Value.Describe(kv.Key)))
            .Concat(_retriedStops.Select(kv => (Pack: kv.Key, kv.Value.Backoff.Failures, Text: kv.Value.Describe(kv.Key))))
            .Where(s => s.Failures >= StartBackoff.Shown && _grid?.PacksById.GetValueOrDefault(s.Pack) is { } p
                        && p.Cells.Any(c => Ledger.Cells[c.CellId].State == CellState.Queued))
            .OrderByDescending(s => s.Failures).Select(s => s.Text).FirstOrDefault();
}
