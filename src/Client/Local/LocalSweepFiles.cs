using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Client.Local;

/// <summary>A sweep's files in a local state directory, by the file store's layout: its ledger
/// (<c>state/gg-sweep/SWEEP.sweep.state</c>), its keyed directories under each grain type (<c>state/gg-curve/SWEEP/</c>,
/// <c>state/gg-training/SWEEP/</c>) and its checkpoints (<c>checkpoints/SWEEP/</c>). For deleting a sweep that a damaged
/// file keeps the coordinator from deleting, while the caller holds the directory's lock.</summary>
internal static class LocalSweepFiles
{
    /// <summary>Removes them; returns how many files went.</summary>
    public static int Remove(LocalHostOptions layout, string sweep)
    {
        var removed = 0;
        var ledger = StateFileNames.PathFor(layout.GrainStateDirectory, SweepCoordinatorGrain.GrainTypeName, sweep, SweepCoordinatorGrain.StateName);
        if (File.Exists(ledger))
        {
            File.Delete(ledger);
            removed++;
        }
        var keyed = Directory.Exists(layout.GrainStateDirectory)
            ? Directory.EnumerateDirectories(layout.GrainStateDirectory).Select(type => Path.Combine(type, StateFileNames.Escape(sweep)))
            : [];
        foreach (var directory in keyed.Append(CheckpointFiles.SweepDirectory(layout.CheckpointDirectory, sweep)).Where(Directory.Exists))
        {
            removed += Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Count();
            Directory.Delete(directory, recursive: true);
        }
        return removed;
    }
}
