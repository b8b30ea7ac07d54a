using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Submitting a sweep: creating it (or rebuilding one whose ledger was lost), an identical spec again, and
/// extending it with added grid values or more epochs.</summary>
public sealed partial class SweepCoordinatorGrain
{
    private HashSet<string>? _reopening;   // completed cells an extension raising the epochs queues again, while its write is in flight

    public Task<SubmitResult> SubmitAsync(SweepSpec spec, int? priority = null) => SubmitOrExtendAsync(spec, priority, extend: false);

    public Task<SubmitResult> ExtendAsync(SweepSpec spec, int? priority = null) => SubmitOrExtendAsync(spec, priority, extend: true);

    /// <summary>Submits or extends, then sets a given priority on a sweep that existed (a new one is created with it). The
    /// priority comes second so that a refused spec changes nothing.</summary>
    private async Task<SubmitResult> SubmitOrExtendAsync(SweepSpec spec, int? priority, bool extend)
    {
        if (priority is { } p) SweepPriority.Validate(p);
        var result = await CreateOrExtendAsync(spec, extend, priority);
        if (result.Created || priority is not { } wanted || wanted == Priority) return result;
        return result with { PriorityBefore = await SetPriorityAsync(wanted), Priority = Priority };
    }

    private async Task<SubmitResult> CreateOrExtendAsync(SweepSpec spec, bool extend, int? priority)
    {
        EnsureWritable();
        if (spec.Name != Name)
            throw new SpecValidationException([new SpecError("name", $"'{spec.Name}' does not match the sweep '{Name}' it was sent to")]);
        spec = InitWeightsCheck.Complete(spec);   // its file's digest recorded before any comparison: the stored spec has it
        if (Ledger.Spec is { } stored)
        {
            EnsureNotDeleting();
            var differences = SpecCanonical.Differences(stored, spec);
            if (differences.Count > 0)
            {
                var obstacles = SpecExtension.Obstacles(stored, spec);
                if (extend && obstacles.Count == 0) return await AddCellsAsync(stored, spec);
                throw extend
                    ? new SpecValidationException(obstacles, null, SpecExtension.CannotExtend(Name))
                    : new SpecValidationException(differences, null,
                        SpecExtension.SubmitRefusal(Name, differences, obstacles, SpecExtension.AddsCells(stored, spec)));
            }
            await FlushAsync();   // a racing first submit or extension may still be writing
            // ... and may have failed and taken its sweep, or its extension, back meanwhile: then this submit creates or
            // extends it (told "nothing changed", its added cells would never be made).
            if (Ledger.Spec is not { } now || SpecCanonical.Differences(now, spec).Count > 0) return await CreateOrExtendAsync(spec, extend, priority);
            EnsureNotDeleting();   // a delete that began meanwhile
            await EnsureGoingAsync();   // and one that failed after its ledger was written left it unregistered and idle
            return Result(created: false);
        }
        // The cap on a pack's parameters waits for the packs: a sweep rebuilt after its ledger was lost packs as it grew.
        var errors = SweepSpecValidator.Validate(spec, _dataCheck, earlierUnknown: true);
        if (errors.Count > 0) throw new SpecValidationException(errors);

        var (lost, earlier, grid) = await LostLedgerAsync(spec);
        // An extension of a sweep that is not here (deleted since the client looked) would create one from the extended
        // spec and train it all; one whose ledger was lost is rebuilt as it grew.
        if (extend && lost is null)
            throw new SpecValidationException([new SpecError("name", $"there is no sweep named '{Name}' to extend; submit it without --extend")], null, "--extend");
        if (SweepSpecValidator.PackCap(spec, earlier) is { } cap) throw new SpecValidationException([cap]);
        var leftOut = SweepGrowth.LeftOut(lost?.Growth, spec, grid);
        var incarnation = lost?.Incarnation ?? Guid.NewGuid().ToString("N")[..12];
        if (Ledger.Spec is not null) return await CreateOrExtendAsync(spec, extend, priority);   // a racing submit created it meanwhile
        _state.State = new SweepCoordinatorState
        {
            Spec = spec,
            State = SweepState.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            Incarnation = incarnation,
            EarlierSpecs = earlier,
            Cells = grid.Cells.ToDictionary(c => c.CellId, _ => new CellEntry()),
            // Before the first admission, so the first ask for slots already carries it.
            Priority = priority is null or SweepPriority.Default ? null : priority,
            LeftOutCells = leftOut.Count > 0 ? leftOut : null,
        };
        Load(spec);
        try
        {
            await SaveAsync();
        }
        catch
        {
            _state.State = new SweepCoordinatorState();
            _grid = null;
            throw;
        }
        LogCreated(Name, grid.Cells.Count, grid.Packs.Count);
        await EnsureGoingAsync();
        return Result(created: true);
    }

    /// <summary>This sweep's registry entry, when the sweep being created is one whose ledger was lost (a damaged entry
    /// removed, as its error says to) rather than deleted: rebuilt as the same incarnation (and grown as it grew), its
    /// packs continue from their stored state and checkpoints instead of training again from the start. Taken only when
    /// a cell has a stored curve: a delete removes the curves before the ledger and the registry entry last, so an entry
    /// that an interrupted delete left behind is not taken (a pack of that sweep still stopping then stays foreign).
    /// Returned with the specs the sweep had before <paramref name="spec"/> and its grid as it grew: a grown sweep rebuilt
    /// from its current spec packs its cells as they grew (its stored packs keep their ids), and where an extension raised
    /// its epochs, its cells' ids are those of the first generation's epochs, under which their curves are found.</summary>
    private async Task<(SweepSummary? Lost, List<SweepSpec>? Earlier, SweepGrid Grid)> LostLedgerAsync(SweepSpec spec)
    {
        var listed = (await Registry.ListAsync()).FirstOrDefault(s => s.Name == Name);
        if (listed?.Incarnation is { } incarnation && SweepNames.IsValidId(incarnation))
        {
            var earlier = SweepGrowth.Before(listed.Growth, spec);
            var grown = SweepGrid.Expand(spec, earlier);
            var curves = new CurveStore(_storage, Name);
            foreach (var cell in grown.Cells)
            {
                if (await curves.LastEpochAsync(cell.CellId, 0) <= 0) continue;
                LogRebuilding(Name, incarnation);
                return (listed, earlier, grown);
            }
        }
        return (null, null, SweepGrid.Expand(spec));
    }

    /// <summary>Extends the sweep to <paramref name="spec"/> (<see cref="SpecExtension"/>): the added cells are queued in
    /// packs of their own, and a finished sweep runs again; stored cells, packs and curves are untouched. Raised epochs
    /// queue the completed cells again, to train on from their packs' last checkpoints (a pack still training the old
    /// length is queued again when it finishes it).</summary>
    private async Task<SubmitResult> AddCellsAsync(SweepSpec stored, SweepSpec spec)
    {
        // The generations as the grid packs them: the added cells pack apart from the stored ones, and the cap on a
        // pack's parameters judges those packs.
        List<SweepSpec> earlier = [.. Ledger.EarlierSpecs ?? [], stored];
        var errors = SweepSpecValidator.Validate(spec, _dataCheck, earlier: earlier);
        if (errors.Count > 0) throw new SpecValidationException(errors);
        await FlushAsync();   // cell transitions scheduled before the extension are written with the old spec
        if (!ReferenceEquals(Ledger.Spec, stored)) return await CreateOrExtendAsync(spec, extend: true, priority: null);   // another extension came first
        EnsureNotDeleting();   // a delete that began meanwhile: the extension would revive what it removes

        var grid = SweepGrid.Expand(spec, earlier);
        var added = grid.Cells.Where(c => !Ledger.Cells.ContainsKey(c.CellId)).Select(c => c.CellId).ToList();
        bool lengthened = spec.Epochs > stored.Epochs;
        if (added.Count == 0 && !lengthened) return await SameCellsAsync(stored, spec, earlier);
        // Diverged cells keep their end (a result); failed and cancelled ones wait for a resume, as they did.
        HashSet<string> reopened = lengthened ? Ledger.Cells.Where(kv => kv.Value.State == CellState.Completed).Select(kv => kv.Key).ToHashSet() : [];
        var addedPacks = grid.Packs.Count - _grid!.Packs.Count;
        var (state, finishedAt, earlierBefore) = (Ledger.State, Ledger.FinishedAt, Ledger.EarlierSpecs);
        bool revived = Ledger.State != SweepState.Running;
        Ledger.Spec = spec;
        Ledger.EarlierSpecs = earlier;
        foreach (var id in added) Ledger.Cells[id] = new CellEntry();
        foreach (var id in reopened) Ledger.Cells[id].State = CellState.Queued;
        // Not admitted until the write succeeds: started at the new length, a pack would train on although a failed write
        // takes the raise back (as added packs wait for _grid below).
        _reopening = reopened.Count > 0 ? reopened : null;
        if (revived)
        {
            (Ledger.State, Ledger.FinishedAt) = (SweepState.Running, null);
            _pace = NewPace();   // the time it stood finished is no part of its pace
        }
        try
        {
            await SaveAsync();
        }
        catch
        {
            (Ledger.Spec, Ledger.EarlierSpecs) = (stored, earlierBefore);
            foreach (var id in added) Ledger.Cells.Remove(id);
            // Not admitted meanwhile, they trained nothing: queued, or cancelled by a cancel during the write, they ended complete.
            foreach (var id in reopened.Where(id => Ledger.Cells[id].State is CellState.Queued or CellState.Cancelled))
                Ledger.Cells[id].State = CellState.Completed;
            // Only the extension's own revival is undone: a cancel that came in during the write stands. A last pack that
            // ended meanwhile left every cell final while the added ones held the sweep open: the watchdog completes it.
            // A resume that came in meanwhile queued cells again: the sweep runs for them, not stopped with cells queued.
            if (revived && Ledger.Cells.Values.All(e => e.State.IsFinal())) (Ledger.State, Ledger.FinishedAt) = (state, finishedAt);
            throw;
        }
        finally
        {
            _reopening = null;
        }
        // Only now: an admission running while the write was in flight must not start an added pack that a failed write
        // would take back (its cells gone from the ledger, it would train outside the sweep, holding its slot).
        _grid = grid;
        foreach (var pack in grid.Packs.Where(p => p.Cells.Any(c => reopened.Contains(c.CellId)))) _finishedAt[pack.PackId] = stored.Epochs;
        if (added.Count > 0) LogExtended(Name, added.Count, addedPacks, grid.Cells.Count);
        if (lengthened) LogLengthened(Name, stored.Epochs, spec.Epochs, reopened.Count);
        PublishCounts();
        await EnsureGoingAsync();
        return Result(created: false) with
        {
            AddedCells = added.Count, AddedPacks = addedPacks, EpochsBefore = lengthened ? stored.Epochs : null,
            Epochs = lengthened ? spec.Epochs : null, ReopenedCells = reopened.Count,
        };
    }

    /// <summary>An extension that adds no cell: a new maxCells, or rates every row held in its rowRates moved into
    /// learningRates (the same cells). The spec is stored; a grid listed otherwise as a generation of its own after the
    /// stored spec, since a pack's id hashes its members in the order of the generation that made it, and a moved rate
    /// changes that order. A new maxCells alone adds no generation: the grid is the same.</summary>
    private async Task<SubmitResult> SameCellsAsync(SweepSpec stored, SweepSpec spec, List<SweepSpec> earlier)
    {
        bool relisted = SpecExtension.Relists(stored, spec);
        var earlierBefore = Ledger.EarlierSpecs;
        Ledger.Spec = spec;
        if (relisted) Ledger.EarlierSpecs = earlier;
        try
        {
            await SaveAsync();
        }
        catch
        {
            (Ledger.Spec, Ledger.EarlierSpecs) = (stored, earlierBefore);
            throw;
        }
        if (relisted) _grid = SweepGrid.Expand(spec, earlier);
        await EnsureGoingAsync();
        return Result(created: false) with
        {
            MaxCellsBefore = stored.MaxCells != spec.MaxCells ? stored.MaxCells : null,
            MaxCells = stored.MaxCells != spec.MaxCells ? spec.MaxCells : null,
            MovedRates = relisted ? [.. spec.LearningRates.Except(stored.LearningRates)] : null,
        };
    }

    /// <summary>What the submit made, once its registry call is back: a forced delete may have removed the sweep meanwhile.</summary>
    private SubmitResult Result(bool created) => _grid is { } grid
        ? new(Name, created, grid.Cells.Count, grid.Packs.Count, Ledger.State) { Priority = Priority }
        : throw new InvalidOperationException($"sweep '{Name}' was deleted while this submit was under way; submit it again to create it anew");
}
