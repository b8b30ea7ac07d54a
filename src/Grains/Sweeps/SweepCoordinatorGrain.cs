using System.Runtime.ExceptionServices;
using GradGuessCluster.Grains.Diagnostics;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// One per sweep (<see cref="ISweepCoordinatorGrain"/>). Reentrant so that epoch reports from many packs overlap their
/// storage writes; every state change happens synchronously between awaits, and ledger writes are group-committed
/// (<see cref="CoalescingStateWriter"/>). This file: the client-facing half; submitting and extending are in
/// SweepCoordinatorGrain.Submit.cs; the pack-facing half in SweepCoordinatorGrain.Packs.cs (reports), .Starts.cs,
/// .Admission.cs (which packs start) and .Watchdog.cs (with the ledger writes); .Conflicts.cs (a ledger write that meets an
/// ETag conflict), .Priority.cs and .Delete.cs as named.
/// </summary>
[Reentrant, GrainType(GrainTypeName)]
public sealed partial class SweepCoordinatorGrain : Grain, ISweepCoordinatorGrain
{
    public const string GrainTypeName = "gg-sweep";
    public const string StateName = "sweep";

    /// <summary>Cells whose curves results at an epoch hold in memory at once.</summary>
    private const int CurvesHeldAtOnce = 64;

    private readonly IPersistentState<SweepCoordinatorState> _state;
    private readonly IGrainStorage _storage;
    private readonly IDataSetCheck _dataCheck;
    private readonly GradGuessSiloOptions _options;
    private readonly ILogger<SweepCoordinatorGrain> _logger;
    private readonly SweepsToldToRun _toldToRun;
    private SweepGrid? _grid;
    private CurveStore? _curves;
    private readonly CoalescingStateWriter _writer;
    private readonly CancellationToken _siloStopping;

    public SweepCoordinatorGrain(
        [PersistentState(StateName, GradGuessSiloOptions.StorageName)] IPersistentState<SweepCoordinatorState> state,
        IServiceProvider services, IDataSetCheck dataCheck, IOptions<GradGuessSiloOptions> options, ILogger<SweepCoordinatorGrain> logger)
    {
        _state = state;
        _storage = services.GetRequiredKeyedService<IGrainStorage>(GradGuessSiloOptions.StorageName);
        _dataCheck = dataCheck;
        _options = options.Value;
        _logger = logger;
        _toldToRun = services.GetRequiredService<SweepsToldToRun>();
        _siloStopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        // Cell transitions are written shortly after, coalesced; creation, completion, cancel and resume are awaited.
        // On an ETag conflict the activation re-reads its ledger: packs re-report what a lost write held.
        _writer = new CoalescingStateWriter(WriteLedgerAsync, TimeSpan.FromMilliseconds(250), e => LogLedgerWriteFailed(e, Name),
            onConflict: ReloadAfterConflict);
    }

    private string Name => this.GetPrimaryKeyString();

    /// <summary>One ledger write; a failure is kept for status until a write succeeds (a conflict is no store failure:
    /// the activation re-reads).</summary>
    private async Task WriteLedgerAsync()
    {
        // Any write carries the epochs raised so far: the next tick need not write them again (a failed write is retried
        // by the writer, with them).
        _epochsUnsaved = false;
        try
        {
            await _state.WriteStateAsync();
            _ledgerProblem = null;
        }
        catch (Exception e) when (Failures.Cause(e) is not InconsistentStateException)
        {
            _ledgerProblem = $"the sweep's ledger cannot be written ({Failures.Describe(e)}); retrying";
            throw;
        }
    }
    private SweepCoordinatorState Ledger => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Ledger.Spec is not { } spec) return;
        // Another sweep's ledger under this name (a state file copied over this one) would show that sweep's results
        // as this one's, and train its cells here: refused, with the way out a damaged ledger gets.
        if (spec.Name != Name)
            throw new StoredStateCorruptException($"stored sweep state of {GrainTypeName}/{Name} holds the ledger of sweep {spec.Name}, " +
                $"not its own (a file copied over it? in a local state directory: state/{GrainTypeName}/{Name}.sweep.state)");
        Load(spec);
        CompleteCancelledWithNoCancelledCell();
        // The ledger's epochs lag while cells run (they are written on the watchdog's tick): read where each unfinished
        // curve really stands (one chunk per cell), and take it, so that a pack resumed without its checkpoint is judged
        // against the epochs really stored.
        await Task.WhenAll(Ledger.Cells.Where(kv => !kv.Value.State.IsFinal()).Select(async kv =>
        {
            var stored = await LastEpochOrDamagedAsync(kv.Key, kv.Value.LastEpoch);
            if (stored <= kv.Value.LastEpoch) return;
            kv.Value.LastEpoch = stored;
            _epochsUnsaved = true;
        }));
        // A stopped sweep ticks once too: its registry entry may still say running, if the sync after its completion or
        // cancel failed and the activation that would have retried it is gone (the tick tells the registry, then stops).
        // A running one that the silo does not resume by itself (gradguess local) waits for its submit, resume or wake:
        // read first (local's preflight reads the stored sweep), its tick would restart its packs even for a spec that
        // the submit then refuses. Once told to run, it ticks again when activated anew (after a conflict on its ledger).
        // One whose delete stopped halfway ticks only to keep its problem shown (KeepShowingHalfDeleted).
        if (!_options.ReadOnly
            && (Ledger.Deleting || _options.ResumeSweeps || Ledger.State != SweepState.Running || _toldToRun.Contains(Name))) StartWatchdog();
        PublishCounts();
    }

    public Task<SweepStatus?> GetStatusAsync() => Task.FromResult(Status());

    private SweepStatus? Status()
    {
        if (Ledger.Spec is not { } spec || _grid is null) return null;
        // No time left while nothing can be stored: the pace of the last minutes would promise an end that is not coming.
        var now = DateTimeOffset.UtcNow;
        var paced = Ledger.State == SweepState.Running && _storeProblem is null && _ledgerProblem is null;
        var cells = _grid.Cells.Select(cell =>
        {
            var entry = Ledger.Cells[cell.CellId];
            var latest = _curves!.CachedLatest(cell.CellId);
            var evaluated = _curves.CachedLatestEvaluated(cell.CellId);   // accuracies, where the latest epoch was not evaluated
            var final = entry.State.IsFinal();
            var running = entry.State == CellState.Running;
            _running.TryGetValue(cell.PackId, out var run);
            return new CellStatus(cell.CellId, cell.PackId, cell.Config, entry.State,
                Math.Max(entry.LastEpoch, latest?.Epoch ?? 0), spec.Epochs,
                final ? entry.FinalTrainAccuracy : evaluated?.TrainAccuracy ?? entry.FinalTrainAccuracy,
                final ? entry.FinalTestAccuracy : evaluated?.TestAccuracy ?? entry.FinalTestAccuracy,
                final ? entry.FinalTrainLoss : latest?.TrainLoss,
                running ? run?.Device : null,
                running ? run?.Silo : null,
                entry.Error,
                running && paced ? _packPace.SecondsLeft(cell.PackId, spec.Epochs, now) : null);
        }).ToArray();
        double? workLeft = paced && _pace.WorkPerSecond(now) is > 0 and var work && _cost.Left(spec, _grid.PacksById, cells) is { } left
            ? left / work : null;
        return new SweepStatus(Name, Ledger.State, spec.Epochs, cells, Ledger.CreatedAt, Ledger.FinishedAt,
            Problem()?.Text, paced ? _pace.PerSecond(now) : null,
            Ledger.Data, Ledger.State == SweepState.Running ? WaitingForSlots ?? WaitingForMemory ?? WaitingForPlacement : null, Ledger.Yields, Priority,
            Ledger.Numerics, workLeft);
    }

    public Task<SweepSummary?> GetSummaryAsync() =>
        Task.FromResult(Ledger.Spec is null ? null
            : new SweepSummary(Name, Ledger.State, Ledger.CreatedAt, Ledger.Incarnation, SweepGrowth.Write(Ledger.EarlierSpecs, Ledger.Spec)));

    public Task<SweepSpec?> GetSpecAsync() => Task.FromResult(Ledger.Spec);

    public async Task<SweepResults?> GetResultsAsync(SelectionSpec? selection)
    {
        if (Ledger.Spec is not { } spec || _grid is null) return null;
        EnsureNotDeleting();
        selection ??= spec.SelectionOrDefault;
        var (grid, state, data) = (_grid, Ledger.State, Ledger.Data);   // as the call found them: the curves' read yields
        var ledger = selection.ReadsCurves
            ? await LedgerAtAsync(spec, grid, selection.At == SelectionPoint.Epoch ? selection.Epoch : spec.Epochs, selection.Evaluations)
            : Ledger.Cells;
        return new SweepResults(Name, state, selection, ResultsSelector.Select(spec, selection, grid, ledger), data);
    }

    /// <summary>The ledger as of <paramref name="epoch"/>, from every cell's curve (<see cref="LedgerAtEpoch"/>), each
    /// final value averaged over <paramref name="window"/> evaluations; read <see cref="CurvesHeldAtOnce"/> cells at a
    /// time: a large sweep's curves would not fit in memory together.</summary>
    private async Task<Dictionary<string, CellEntry>> LedgerAtAsync(SweepSpec spec, SweepGrid grid, int? epoch, int window)
    {
        if (epoch is not { } n || n < 1 || n > spec.Epochs)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch,
                $"sweep '{Name}' trains epochs 1 to {spec.Epochs}: its results can be read at one of them");
        if (SelectionWindow.Problem(spec, SelectionPoint.Epoch, n, window) is { } wrong)
            throw new ArgumentOutOfRangeException(nameof(window), window, $"sweep '{Name}': {wrong}");
        var reading = window > 1 ? $"results averaged over {window} evaluations to epoch {n}" : $"results at epoch {n}";
        var ledger = new Dictionary<string, CellEntry>(grid.Cells.Count);
        foreach (var chunk in grid.Cells.Select(c => c.CellId).Chunk(CurvesHeldAtOnce))
        {
            var curves = await GetCurvesAsync(chunk);
            if (curves.Count != chunk.Length) throw new InvalidOperationException($"sweep '{Name}' was deleted while its curves were read");
            foreach (var curve in curves)
            {
                if (curve.Unreadable is not null)
                    throw new InvalidOperationException($"{reading} read every cell's curve, and cell {curve.CellId}'s could not " +
                                                        $"be read: {curve.Unreadable} (the final and best accuracies come from the ledger, and still read)");
                ledger[curve.CellId] = LedgerAtEpoch.Entry(curve, n, window);
            }
        }
        return ledger;
    }

    public async Task<IReadOnlyList<CellCurve>> GetCurvesAsync(IReadOnlyList<string>? cellIds)
    {
        if (_grid is null) return [];
        EnsureNotDeleting();   // its curves may be gone already: each would read as a missing chunk
        var wanted = cellIds?.ToHashSet();
        var incarnation = Ledger.Incarnation;
        var cells = _grid.Cells.Where(c => wanted is null || wanted.Contains(c.CellId)).ToList();
        var curves = await Task.WhenAll(cells.Select(ReadCurveAsync));
        // A delete that began during the reads removes chunks: the curves would read short, with advice to put them back.
        // (An extension done meanwhile replaces the grid too, and changes none of these curves.)
        EnsureNotDeleting();
        if (_grid is null || Ledger.Incarnation != incarnation)
            throw new InvalidOperationException($"sweep '{Name}' was deleted while its curves were read");
        return curves;
    }

    /// <summary>One damaged curve file must not hide the other cells' curves from export and plot: it is reported on its
    /// cell instead, as is a curve that reads shorter than the epochs the ledger knows were stored (a chunk file moved
    /// away or lost: the read stops at the first missing chunk). Other storage failures (an outage) still fail the call.</summary>
    private async Task<CellCurve> ReadCurveAsync(GridCell cell)
    {
        var entry = Ledger.Cells[cell.CellId];
        var state = entry.State;
        var stored = entry.LastEpoch;   // taken before the read: appends meanwhile only raise it
        try
        {
            var records = await _curves!.ReadAllAsync(cell.CellId);
            var reached = records.Count > 0 ? records[^1].Epoch : 0;
            return reached >= stored
                ? new CellCurve(cell.CellId, cell.Config, state, records)
                : new CellCurve(cell.CellId, cell.Config, state, [],
                    $"its stored curve reads to epoch {reached} of the {stored} stored: the chunk after epoch {reached} is missing " +
                    "from the store, or cut short (a file moved away, or a crash with fsync off); put it back if you can");
        }
        catch (Exception e) when (Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            return new CellCurve(cell.CellId, cell.Config, state, [], corrupt.Message);
        }
    }

    /// <summary>The cell's last stored epoch; 0 when its latest curve chunk is damaged, which is then said in status
    /// rather than thrown: one damaged file must not fail the activation (status, cancel, delete) of the whole sweep.</summary>
    private async Task<int> LastEpochOrDamagedAsync(string cellId, int epochHint)
    {
        try
        {
            return await _curves!.LastEpochAsync(cellId, epochHint);
        }
        catch (Exception e) when (Failures.Cause(e) is StoredStateCorruptException corrupt)
        {
            _curveGaps[cellId] = Unreadable(cellId, corrupt);
            return 0;
        }
    }

    public async Task<int> CancelAsync()
    {
        EnsureWritable();
        EnsureNotDeleting();
        if (Ledger.Spec is null || Ledger.State != SweepState.Running) return 0;
        // Every cell final in a sweep still running (its completion not yet made): it completes, not cancelled with no
        // cancelled cell, which nothing but a resume would complete.
        if (await CompleteIfDoneAsync()) return 0;
        // Cells queued again after an interruption (a lost silo, a restart) may have trained already: read their
        // stored curves first, so that once cancelled they show where they stopped (a stopping pack does this for its
        // running cells). Their latest chunks are cached since activation, so only curves with epochs are read.
        var trained = await TrainedCurvesAsync(Ledger.Cells.Where(kv => kv.Value.State == CellState.Queued).Select(kv => kv.Key).ToList());
        if (Ledger.State != SweepState.Running) return 0;   // another cancel finished while we read
        EnsureNotDeleting();   // a forced delete began while we read
        var running = RunningPackIds().ToList();
        var cancelled = 0;
        foreach (var (id, entry) in Ledger.Cells.Where(kv => !kv.Value.State.IsFinal()))
        {
            if (entry.State == CellState.Queued && trained.TryGetValue(id, out var curve)) CellSummaries.Summarise(entry, curve);
            entry.State = CellState.Cancelled;
            cancelled++;
        }
        Ledger.State = SweepState.Cancelled;
        Ledger.FinishedAt = DateTimeOffset.UtcNow;
        // Cancelled in memory from here, stored or not (the writer retries): stop everything now, since a retried
        // cancel finds nothing left to cancel and would stop nothing.
        var unsaved = await SaveOrRetryAsync();
        LogCancelled(Name, cancelled);
        await WithdrawDemandAsync();
        PublishCounts();
        // Unless a resume came in meanwhile: the packs it admitted again answered its start as running, never told to stop.
        if (Ledger.State != SweepState.Running) await Task.WhenAll(running.Select(StopPackAsync));
        await SyncStoppedAsync();   // the current state: a resume may have come in while the packs stopped
        if (unsaved is not null) ExceptionDispatchInfo.Throw(unsaved);
        return cancelled;
    }

    /// <summary>The stored curves of those cells that have stored epochs and can be read.</summary>
    private async Task<Dictionary<string, List<EpochRecord>>> TrainedCurvesAsync(IReadOnlyList<string> cellIds)
    {
        var lastEpochs = await Task.WhenAll(cellIds.Select(id => LastEpochOrDamagedAsync(id, Ledger.Cells[id].LastEpoch)));
        var trained = cellIds.Where((_, i) => lastEpochs[i] > 0).ToList();
        var curves = await Task.WhenAll(trained.Select(ReadAllOrDamagedAsync));
        return trained.Zip(curves).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!);
    }

    /// <summary>Forgets why packs wait to start (backoff, memory, placement, stops that may pass): they are tried at once.</summary>
    private void ClearStartWaits()
    {
        _startBackoff.Clear();
        _memoryWaits.Clear();
        _placementWaits.Clear();
        _retriedStops.Clear();
    }

    public async Task<int> ResumeAsync()
    {
        EnsureWritable();
        EnsureNotDeleting();
        if (Ledger.Spec is null) return 0;
        var requeued = 0;
        foreach (var entry in Ledger.Cells.Values.Where(e => e.State is CellState.Cancelled or CellState.Failed))
        {
            entry.State = CellState.Queued;
            entry.Error = null;
            requeued++;
        }
        _suspended = false;
        ClearStartWaits();   // a resume says "try now": a pack that could not start is tried again at once
        Exception? unsaved = null;
        if (requeued > 0 || Ledger.State != SweepState.Running)
        {
            _pace = NewPace();   // the time it stood still is no part of its pace
            Ledger.State = Ledger.Cells.Values.All(e => e.State.IsFinal()) ? SweepState.Completed : SweepState.Running;
            Ledger.FinishedAt = Ledger.State == SweepState.Running ? null : Ledger.FinishedAt;
            unsaved = await SaveOrRetryAsync();
        }
        // Going, whether or not the ledger is stored yet (its writer retries): a Running sweep without its watchdog
        // would admit nothing, and the registry, still saying cancelled, would never wake it. The watchdog also heals
        // the registry entry if the sync below fails.
        if (Ledger.State == SweepState.Running)
        {
            StartWatchdogAsToldToRun();
            _ = TickAsync(CancellationToken.None);
        }
        PublishCounts();
        await SyncRegistryAsync();
        if (unsaved is not null) ExceptionDispatchInfo.Throw(unsaved);
        return requeued;
    }

    public async Task SuspendAsync()
    {
        _suspended = true;
        await WithdrawDemandAsync();
        await Task.WhenAll(RunningPackIds().ToList().Select(StopPackAsync));
    }

    public async Task WakeAsync()
    {
        if (_options.ReadOnly) return;
        // Woken as listed, but gone: a delete whose registry update failed, or was left to this activation by one going
        // after a conflict (SyncRegistryAsync). The registry drops it.
        if (Ledger.Spec is null)
        {
            await SyncRegistryAsync();
            return;
        }
        // Woken because the registry lists it as running: a stopped sweep's tick corrects that entry.
        if (!Ledger.Deleting)
        {
            StartWatchdogAsToldToRun();   // started at activation already, unless the silo resumes no sweep by itself
            if (Ledger.State == SweepState.Running) _ = TickAsync(CancellationToken.None);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // After a conflict no write of this activation's can succeed: the next one reads the ledger as it is.
        if (!_reloading)
            try
            {
                await FlushAsync();
            }
            catch (Exception e)
            {
                LogLedgerWriteFailed(e, Name);   // recoverable: packs hold their own outcomes
            }
        // The coordinator may re-activate on another silo: stale cell-state gauges must not stay behind here.
        SweepInstruments.ForgetCellStates(Name);
        if (_wakeNext) WakeNextActivation();
    }

    private void Load(SweepSpec spec)
    {
        _grid = SweepGrid.Expand(spec, Ledger.EarlierSpecs);
        _curves = new CurveStore(_storage, spec.Name);
    }

    private void EnsureWritable()
    {
        if (_options.ReadOnly) throw new InvalidOperationException($"sweep '{Name}': this silo reads the state directory read-only");
    }

    private ISweepRegistryGrain Registry => GrainFactory.GetGrain<ISweepRegistryGrain>(0);

    /// <summary>A running sweep has its watchdog and an admission round, and is listed. Idempotent: a resubmit calls it
    /// to finish a first submit that failed after writing its ledger (e.g. the registry's storage failed).</summary>
    private async Task EnsureGoingAsync()
    {
        if (Ledger.State == SweepState.Running && !_options.ReadOnly)
        {
            StartWatchdogAsToldToRun();
            _ = AdmitAsync();
        }
        PublishCounts();
        await SyncRegistryAsync();
    }

    private void PublishCounts()
    {
        SweepInstruments.SetCellStates(Name, CellStates.All.ToDictionary(s => s.Name(), s => Ledger.Cells.Values.Count(e => e.State == s)));
        PublishProgressGauges();
    }

    /// <summary>The time-left and problem gauges, refreshed with the counts and on each watchdog tick (so a stall shows
    /// within one). The whole status (a row per cell) is built only when there is a pace to divide by: not at activation,
    /// not for a sweep that has stopped.</summary>
    private void PublishProgressGauges()
    {
        SweepInstruments.SetTimeLeft(Name, Ledger.State switch
        {
            SweepState.Completed => 0,
            SweepState.Running when _pace.PerSecond(DateTimeOffset.UtcNow) is not null => Status()?.SecondsLeft,
            _ => null,
        });
        SweepInstruments.SetProblem(Name, Problem()?.Kind);
        // Running packs hold a slot, or are taking one (admitted, not yet placed).
        var running = Ledger.State == SweepState.Running;
        SweepInstruments.SetSlotShare(Name, new SweepSlotShare(running ? RunningPackIds().Count() : 0, running ? PacksWaiting : 0,
            Priority, Ledger.Yields?.Count ?? 0));
        SweepInstruments.SetNumericsResumes(Name, Ledger.Numerics?.Count ?? 0);
    }

    /// <summary>Status's problem line, the most pressing first, and its kind for the problem gauge.</summary>
    private (string Kind, string Text)? Problem() =>
        Ledger.Deleting ? ("half_deleted", HalfDeleted)
        : _ledgerProblem is { } ledger ? ("ledger_write", ledger)
        : CurveProblem is { } gap ? ("curve_gap", gap)
        : _storeProblem is { } store ? ("epoch_store", store)
        : _admissionProblem is { } admission ? ("admission", admission)
        : Ledger.State == SweepState.Running && StartProblem() is { } start ? ("pack_start", start)
        : Ledger.State == SweepState.Running && LostCheckpointProblem is { } lost ? ("checkpoint_lost", lost)
        : null;
}
