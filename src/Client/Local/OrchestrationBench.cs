using System.Diagnostics;
using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// The orchestrator's own cost: a sweep whose trainer does no numeric work (<see cref="NoOpPackTrainer"/>) through the
/// real coordinator, placement, slot ledger and file storage of one embedded silo. After a small warm-up sweep (JIT),
/// it times submit → completion and then reads every curve back to count what was durably stored.
/// </summary>
internal static class OrchestrationBench
{
    public static async Task<OrchestrationBenchResult> RunAsync(int cells, int epochs, int slots, string stateDirectory, bool flushToDisk,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var options = new LocalHostOptions(stateDirectory, MetricsPort: null, CpuSlots: slots, Gpus: 0,
            Trainers: new NoOpPackTrainerFactory(), FlushToDisk: flushToDisk);
        await using var host = await LocalSweepHost.StartAsync(options, cancellationToken);

        progress("warm-up sweep (20 cells)...");
        await RunSweepAsync(host, Spec("bench-warmup", 20, epochs), cancellationToken);

        progress($"timed sweep: {cells} cells × {epochs} epochs, {slots} CPU slots, no-op trainer...");
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        await RunSweepAsync(host, Spec("bench-orchestration", cells, epochs), cancellationToken);
        var wall = watch.Elapsed.TotalSeconds;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;

        progress("reading every curve back from storage...");
        var stored = await CountStoredAsync(host.Grains.GetGrain<ISweepCoordinatorGrain>("bench-orchestration"), epochs);
        var files = new DirectoryInfo(options.GrainStateDirectory).GetFiles("*", SearchOption.AllDirectories);
        var ledger = files.Where(f => f.DirectoryName!.EndsWith(SweepCoordinatorGrain.GrainTypeName, StringComparison.Ordinal) && f.Name.StartsWith("bench-orchestration.", StringComparison.Ordinal));
        var chunks = files.Where(f => f.FullName.Contains("/gg-curve/bench-orchestration/", StringComparison.Ordinal));
        return new OrchestrationBenchResult(cells, epochs, slots, flushToDisk, wall, stored, heapAfter - heapBefore, peak,
            ledger.Sum(f => f.Length), chunks.Select(f => f.Length).DefaultIfEmpty(0).Max(), files.Length, files.Sum(f => f.Length));
    }

    /// <summary>One cell per seed: a grid of <paramref name="cells"/> one-cell packs.</summary>
    private static SweepSpec Spec(string name, int cells, int epochs) => new(
        name, new DataSpec("synthetic"), new ModelSpec(1, 16), ["backprop"], ["sgd"], [0.01], Enumerable.Range(0, cells).ToArray(),
        epochs, CheckpointEvery: epochs, MaxCells: Math.Max(cells, SweepSpec.DefaultMaxCells));

    private static async Task RunSweepAsync(LocalSweepHost host, SweepSpec spec, CancellationToken cancellationToken)
    {
        var registry = host.Grains.GetGrain<ISweepRegistryGrain>(0);
        var submitted = await host.Grains.GetGrain<ISweepCoordinatorGrain>(spec.Name).SubmitAsync(spec);
        if (!submitted.Created) throw new InvalidOperationException($"sweep {spec.Name} already exists in the bench's state directory");
        // Poll the small registry, not the coordinator, so that polling does not load what is measured.
        while ((await registry.ListAsync()).Single(s => s.Name == spec.Name).State == SweepState.Running)
            await Task.Delay(20, cancellationToken);
    }

    private static async Task<long> CountStoredAsync(ISweepCoordinatorGrain coordinator, int epochs)
    {
        var status = await coordinator.GetStatusAsync() ?? throw new InvalidOperationException("the bench sweep vanished");
        var incomplete = status.Cells.Count(c => c.State != CellState.Completed);
        if (incomplete > 0) throw new InvalidOperationException($"{incomplete} cells did not complete");
        long stored = 0;
        foreach (var batch in status.Cells.Select(c => c.CellId).Chunk(100))
            foreach (var curve in await coordinator.GetCurvesAsync(batch))
            {
                if (!curve.Records.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, epochs)))
                    throw new InvalidOperationException($"cell {curve.CellId}: stored epochs are not exactly 1..{epochs}");
                stored += curve.Records.Count;
            }
        return stored;
    }
}
