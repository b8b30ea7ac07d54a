using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces;

/// <summary>
/// One per sweep, keyed by the sweep's name: the durable ledger of its cells and their per-epoch records, admission of
/// packs as training slots free up, aggregation and the selection rule. Clients use the first group of methods;
/// training grains report through the second.
/// </summary>
[Alias("gg.ISweepCoordinatorGrain")]
public interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Creates the sweep and starts admitting its cells. Idempotent: the identical spec again returns
    /// <c>Created = false</c>. Throws <see cref="Validation.SpecValidationException"/> for an invalid spec, a spec whose
    /// name is not this grain's key, or a different spec under an existing name (naming the fields that differ).
    /// <paramref name="priority"/> (<see cref="Validation.SweepPriority"/>), when given, is set before the first pack is
    /// admitted (or changed, for an existing sweep); when not, a new sweep has the default and an existing one keeps its own.</summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(SweepSpec spec, int? priority = null);

    /// <summary>As <see cref="SubmitAsync"/>, and a spec that adds values to the stored one's axes
    /// (<see cref="Validation.SpecExtension"/>) adds their cells: queued in new packs, stored cells and packs untouched, a
    /// finished sweep running again. Any other difference is refused as by <see cref="SubmitAsync"/>.</summary>
    [Alias("Extend")]
    Task<SubmitResult> ExtendAsync(SweepSpec spec, int? priority = null);

    /// <summary>Sets the sweep's priority (<see cref="Validation.SweepPriority"/>): its weight in the cluster's fair share of
    /// slots, from the next slot handed out or given up on. Returns the priority it had, or null when no sweep has this
    /// name. Throws <see cref="Validation.SpecValidationException"/> for a priority out of range.</summary>
    [Alias("SetPriority")]
    Task<int?> SetPriorityAsync(int priority);

    /// <summary>The sweep's state and every cell's progress; null when no sweep has this name.</summary>
    [Alias("GetStatus")]
    Task<SweepStatus?> GetStatusAsync();

    /// <summary>The sweep's registry entry as it stands now; null when no sweep has this name.</summary>
    [Alias("GetSummary")]
    Task<SweepSummary?> GetSummaryAsync();

    /// <summary>The spec the sweep was submitted with; null when no sweep has this name.</summary>
    [Alias("GetSpec")]
    Task<SweepSpec?> GetSpecAsync();

    /// <summary>The results table (partial while running) under <paramref name="selection"/>, or the spec's own selection
    /// rule when null; null when no such sweep. Re-ranking trains nothing: <c>final</c> and <c>best</c> read the ledger's
    /// summaries, a rule at an epoch reads every cell's curve up to it (an epoch outside the spec's is refused).</summary>
    [Alias("GetResults")]
    Task<SweepResults?> GetResultsAsync(SelectionSpec? selection);

    /// <summary>Full curves of the given cells (all cells when null), in grid order. Large sweeps: ask in batches of cells.</summary>
    [Alias("GetCurves")]
    Task<IReadOnlyList<CellCurve>> GetCurvesAsync(IReadOnlyList<string>? cellIds);

    /// <summary>Cancels the sweep: queued cells become cancelled, running packs stop at their next epoch boundary
    /// (checkpointed). Returns the number of cells cancelled.</summary>
    [Alias("Cancel")]
    Task<int> CancelAsync();

    /// <summary>Re-queues cancelled and failed cells and makes sure running packs are running (they resume from their
    /// checkpoints). Returns the number of cells re-queued.</summary>
    [Alias("Resume")]
    Task<int> ResumeAsync();

    /// <summary>Stops every running pack at its next epoch boundary with a checkpoint and admits nothing more while this
    /// activation lives (graceful shutdown of a local run); the cells stay unfinished and resume later.</summary>
    [Alias("Suspend")]
    Task SuspendAsync();

    /// <summary>Deletes a sweep that is not running: its pack states, curves and checkpoints, then its ledger and its
    /// registry entry, so the name can be submitted again. Refuses a running sweep unless <paramref name="evenIfRunning"/>
    /// (only for a state directory whose lock the caller holds, where nothing trains). A delete that was interrupted is
    /// finished by deleting again; until then the sweep refuses to be resubmitted or resumed.</summary>
    [Alias("Delete")]
    Task<SweepDeletion> DeleteAsync(bool evenIfRunning);

    /// <summary>Activates the coordinator of an unfinished sweep so that it re-admits and re-pokes its cells (called on silo start).</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>A training grain's per-epoch records. Returns once they are durably stored; records at or below a cell's
    /// stored last epoch are ignored (a resumed pack re-reports them), and so are the records of a pack whose
    /// <paramref name="incarnation"/> (<see cref="Contracts.PackWork.Incarnation"/>) is not this sweep's: it trained for a
    /// deleted sweep of the same name, and is told to stop. Without a ledger whose registry entry names the pack's
    /// incarnation (the ledger was lost, and a submit will rebuild it) the call fails, storing nothing: the pack keeps the
    /// records.</summary>
    [Alias("ReportEpochs")]
    Task<ReportReply> ReportEpochsAsync(string packId, string? incarnation, IReadOnlyList<EpochRecord> records);

    /// <summary>A training grain's pack is about to train. The first data a sweep hears of is its data from then on (kept in
    /// the ledger, shown by status); returns why a pack reading other data must not train (it would put two data sets in one
    /// results table), or null when it may (also for another incarnation's pack). A pack that goes on from an epoch before
    /// a checkpoint it must have written (its curves are stored past it) is said in status until it has caught up.</summary>
    [Alias("PackStarting")]
    Task<string?> PackStartingAsync(string packId, string? incarnation, PackStart start);
    /// <summary>A training grain's pack finished, failed or stopped (ignored from another incarnation, as above). Returns
    /// true when the pack's sweep is gone (deleted, or deleted and submitted anew), so that a pack still stopping when the
    /// delete came removes the checkpoint and state it wrote since; false while the sweep may yet take them (its ledger
    /// lost, not deleted: a submit of the same spec rebuilds it as the same incarnation).</summary>
    [Alias("PackEnded")]
    Task<bool> PackEndedAsync(string packId, string? incarnation, PackProgress progress);
}
