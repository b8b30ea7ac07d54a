using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// What <c>local</c> says before it trains: whether the sweep's checkpoints fit the disk and its packs the memory, from
/// the plan of the packs the sweep forms. A stored sweep that grew packs each generation's cells apart, so it is planned
/// from its stored growth; planned as one generation, a wide <c>packing: lr</c> sweep would count every learning rate in
/// one pack.
/// </summary>
internal static class LocalPreflight
{
    public static async Task WarnAsync(LocalSweepHost host, SweepSpec spec, int cpuSlots, int slotsAtOnce)
    {
        var options = host.Options;
        var plan = await PlanAsync(host, spec);
        if (CheckpointSpace.Check(options, spec.Name, plan.Cost.CheckpointBytes, plan.Cost.CheckpointBytesPerPack, slotsAtOnce) is { } space)
            Output.Info("warning: " + space);
        if (TrainingMemory.Check(plan.Cost.TrainingBytesPerPack, Math.Min(cpuSlots, plan.Grid.Packs), withCopy: PackWorkload.HoldsRollbackCopy(spec.CheckpointEvery)) is { } memory)
            Output.Info("warning: " + memory);
    }

    /// <summary>The plan of the whole sweep, its packs as the coordinator forms them.</summary>
    public static async Task<SweepPlan> PlanAsync(LocalSweepHost host, SweepSpec spec) =>
        SweepPlanner.Build(spec, grewFrom: LocalSweepFiles.AnyStored(host.Options, spec.Name) ? await GrewFromAsync(host.Grains, spec) : null);

    /// <summary>The specs the stored sweep had before <paramref name="spec"/> (which is it, or extends it), oldest first;
    /// null when it never grew, or when it cannot be read: the warnings then plan the spec alone, and the run itself says
    /// what is wrong with the stored sweep.</summary>
    private static async Task<List<SweepSpec>?> GrewFromAsync(IGrainFactory grains, SweepSpec spec)
    {
        try
        {
            if (await grains.GetGrain<ISweepCoordinatorGrain>(spec.Name).GetSpecAsync() is not { } stored) return null;
            var growth = (await grains.GetGrain<ISweepRegistryGrain>(0).ListAsync()).FirstOrDefault(s => s.Name == spec.Name)?.Growth;
            var before = SweepGrowth.Before(growth, stored);
            if (SpecCanonical.Differences(stored, spec).Count == 0) return before;
            return SpecExtension.Extends(stored, spec) ? [.. before ?? [], stored] : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
