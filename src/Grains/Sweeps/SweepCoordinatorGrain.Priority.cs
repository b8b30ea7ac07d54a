using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The sweep's priority: its weight in the cluster's fair share of slots, kept in its ledger and said to the slot
/// ledger with every ask for slots.</summary>
public sealed partial class SweepCoordinatorGrain
{
    /// <summary>The default in ledgers written before priorities.</summary>
    private int Priority => Ledger.Priority ?? SweepPriority.Default;

    public async Task<int?> SetPriorityAsync(int priority)
    {
        SweepPriority.Validate(priority);
        EnsureWritable();
        if (Ledger.Spec is null) return null;
        EnsureNotDeleting();
        var before = Priority;
        if (priority != before) await ChangePriorityAsync(priority);
        return before;
    }

    /// <summary>Stores the priority, then tells the slot ledger at once: a sweep whose packs all train asks it nothing
    /// until one ends, and until then its slots would be weighed at the old priority.</summary>
    private async Task ChangePriorityAsync(int priority)
    {
        var before = Ledger.Priority;
        var wanted = priority == SweepPriority.Default ? (int?)null : priority;
        Ledger.Priority = wanted;
        try
        {
            await SaveAsync();
        }
        catch
        {
            // Unless another call set a priority of its own meanwhile: its write, after this one, stores it.
            if (Ledger.Priority == wanted) Ledger.Priority = before;
            throw;
        }
        LogPriority(Name, before ?? SweepPriority.Default, priority);
        PublishProgressGauges();
        try { await GrainFactory.GetGrain<IGpuLedgerGrain>(0).SetPriorityAsync(Name, priority); }
        catch (Exception e) { LogAdmissionFailed(Name, "telling the slot ledger the new priority (it hears it with the next ask): " + Failures.Describe(e)); }
    }
}
