using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// What <c>local</c> says before it trains: whether the sweep's checkpoints and curves fit the disk and its packs the memory (a pack
/// that could never fit is refused), from
/// the plan of the packs the sweep forms. A stored sweep that grew packs each generation's cells apart, so it is planned
/// from its stored growth; planned as one generation, a wide <c>packing: lr</c> sweep would count every learning rate in
/// one pack.
/// </summary>
internal static class LocalPreflight
{
    /// <param name="planned">The plan of a new sweep, made before the host started (the same as <see cref="PlanAsync"/>'s).</param>
    public static async Task WarnAsync(LocalSweepHost host, SweepSpec spec, int cpuSlots, int slotsAtOnce, SweepPlan? planned)
    {
        var options = host.Options;
        foreach (var warning in SpecWarnings.For(spec)) Output.Info("warning: " + warning);
        var plan = planned ?? await PlanAsync(host, spec);
        // No more packs write at once than there are: slots past that count change nothing (the memory check's rule too).
        var packsAtOnce = Math.Min(slotsAtOnce, plan.Grid.Packs);
        var bytes = new SweepBytes(plan.Cost.CheckpointBytes, plan.Cost.CheckpointBytesPerPack, plan.Cost.CurveBytes);
        if (DiskSpace.Check(options, spec.Name, bytes, packsAtOnce) is { } space)
            Output.Info("warning: " + space);
        RefuseANeverFittingPack(plan, spec, cpuOnly: slotsAtOnce == cpuSlots);
        var withCopy = PackWorkload.HoldsRollbackCopy(spec.CheckpointEvery, spec.Epochs);
        if (TrainingMemory.Check(plan.Cost.TrainingBytesPerPack, Math.Min(cpuSlots, plan.Grid.Packs), withCopy) is { } memory)
            Output.Info("warning: " + memory);
        else if (slotsAtOnce == cpuSlots && cpuSlots > 0 && TrainingMemory.FreeNow(plan.Cost.TrainingBytesPerPack, MachineMemory.AvailableBytes(), withCopy) is { } free)
            Output.Info("warning: " + free);
    }

    /// <summary>Where only the CPU trains, a pack larger than the machine's memory would wait for it for ever: refused.
    /// <c>local</c> asks before it touches the state directory for a new sweep, and here for a stored one (planned as it
    /// grew).</summary>
    public static void RefuseANeverFittingPack(SweepPlan plan, SweepSpec spec, bool cpuOnly)
    {
        if (cpuOnly && TrainingMemory.Refusal(plan.Cost.TrainingBytesPerPack, CpuPackMemory.MachineBytes,
                PackWorkload.HoldsRollbackCopy(spec.CheckpointEvery, spec.Epochs)) is { } never)
            throw new UsageException(never);
    }

    /// <summary>The plan of the whole sweep, its packs as the coordinator forms them.</summary>
    public static async Task<SweepPlan> PlanAsync(LocalSweepHost host, SweepSpec spec) =>
        SweepPlanner.Build(spec, grewFrom: LocalSweepFiles.AnyStored(host.Options, spec.Name) ? await GrewFromAsync(host, spec) : null);

    /// <summary>The specs the stored sweep had before <paramref name="spec"/> (which is it, or extends it), oldest first;
    /// null when it never grew, or when it cannot be read: the warnings then plan the spec alone, and the run itself says
    /// what is wrong with the stored sweep.</summary>
    private static async Task<List<SweepSpec>?> GrewFromAsync(LocalSweepHost host, SweepSpec spec)
    {
        try
        {
            // A view of the host, not disposed here: disposing it would stop the host.
            if (await StoredSweep.ReadAsync(new GrainSweepSource(host.Grains, host), spec.Name, CancellationToken.None) is not ({ } stored, var before))
                return null;
            if (SpecCanonical.Differences(stored, spec).Count == 0) return before;
            return SpecExtension.Extends(stored, spec) ? [.. before ?? [], stored] : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
