using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Client.Local;

/// <summary>A sweep's files in a local state directory, by the file store's layout: its ledger
/// (<c>state/gg-sweep/SWEEP.sweep.state</c>), its keyed directories under each grain type (<c>state/gg-curve/SWEEP/</c>,
/// <c>state/gg-training/SWEEP/</c>) and its checkpoints (<c>checkpoints/SWEEP/</c>). For deleting a sweep that a damaged
/// file keeps the coordinator from deleting, while the caller holds the directory's lock; and for telling, before a host
/// starts, whether a spec is for a stored sweep.</summary>
internal static class LocalSweepFiles
{
    /// <summary>Whether anything of the sweep is stored there: its ledger, or (a damaged ledger moved away) the curves or
    /// pack states a rebuild continues from. Read without the lock: for judging a spec before the host starts.</summary>
    public static bool AnyStored(LocalHostOptions layout, string sweep) =>
        File.Exists(Ledger(layout, sweep)) || Keyed(layout, sweep).Any(Directory.Exists);

    /// <summary>Removes them, the ledger last (as the coordinator's own delete does): a removal interrupted before it
    /// leaves a sweep whose ledger refuses a submit until a delete finishes, never curves without a ledger, which a submit
    /// of that name would rebuild the old sweep from. Returns how many files went.</summary>
    public static int Remove(LocalHostOptions layout, string sweep)
    {
        var removed = 0;
        foreach (var directory in Keyed(layout, sweep).Append(CheckpointFiles.SweepDirectory(layout.CheckpointDirectory, sweep)).Where(Directory.Exists))
        {
            removed += Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Count();
            Directory.Delete(directory, recursive: true);
        }
        var ledger = Ledger(layout, sweep);
        if (File.Exists(ledger))
        {
            File.Delete(ledger);
            removed++;
        }
        return removed;
    }

    /// <summary>The sweeps stored there, by their ledgers' file names (a sweep's name is its file name: it needs no
    /// escaping), in order; none where there is no such directory. For tab completion: reads no file.</summary>
    public static IReadOnlyList<string> Names(LocalHostOptions layout)
    {
        var ledgers = StateFileNames.TypeDirectory(layout.GrainStateDirectory, SweepCoordinatorGrain.GrainTypeName);
        var suffix = "." + StateFileNames.Escape(SweepCoordinatorGrain.StateName) + ".state";
        if (!Directory.Exists(ledgers)) return [];
        return [.. Directory.EnumerateFiles(ledgers, "*" + suffix).Select(f => Path.GetFileName(f)[..^suffix.Length])
            .Where(name => SweepNames.Problem(name) is null).Order(StringComparer.Ordinal)];
    }

    /// <summary>The sweep's directory under each grain type's (curves, pack states), whether or not it exists.</summary>
    private static IEnumerable<string> Keyed(LocalHostOptions layout, string sweep) => Directory.Exists(layout.GrainStateDirectory)
        ? Directory.EnumerateDirectories(layout.GrainStateDirectory).Select(type => Path.Combine(type, StateFileNames.Escape(sweep)))
        : [];

    private static string Ledger(LocalHostOptions layout, string sweep) =>
        StateFileNames.PathFor(layout.GrainStateDirectory, SweepCoordinatorGrain.GrainTypeName, sweep, SweepCoordinatorGrain.StateName);
}
