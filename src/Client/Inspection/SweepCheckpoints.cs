using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Inspection;

/// <summary>The checkpoints of a sweep, in a local state directory or a cluster's checkpoint volume: those of its current
/// incarnation only. A pack of a
/// deleted sweep that was still stopping may write its checkpoint after the delete, beside the new sweep of that name
/// (<see cref="CheckpointFiles.PackPath"/>); its weights are not this sweep's, so they are left out, and said to be.</summary>
internal static class SweepCheckpoints
{
    /// <summary>Refuses a state directory that is not there and a name no sweep can have, before the directory is opened.</summary>
    public static void Check(string state, string sweep)
    {
        if (!Directory.Exists(state)) throw new UsageException($"--state-dir: no directory at {state}");
        CheckedName(sweep, "--state-dir");
    }

    /// <summary><paramref name="sweep"/>, refused where no sweep can have that name (one that would leave the directory).</summary>
    public static string CheckedName(string sweep, string option) =>
        SweepNames.Problem(sweep) is { } problem ? throw new UsageException($"CHECKPOINT with {option} is a sweep's name: {problem}") : sweep;

    /// <summary>The checkpoints of <paramref name="sweep"/>'s current incarnation under the checkpoint directory
    /// <paramref name="root"/> (a state directory's, or a cluster's shared volume), the sweep read through
    /// <paramref name="source"/>; <paramref name="where"/> names the source in messages.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string root, string where, string sweep, ISweepSource source,
        CancellationToken cancellationToken)
    {
        var directory = CheckpointFiles.SweepDirectory(root, sweep);
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*" + CheckpointFiles.Extension).Order(StringComparer.Ordinal).ToList()
            : [];

        var summary = (await source.ListAsync(cancellationToken)).FirstOrDefault(s => s.Name == sweep);
        if (summary is null)
            throw new UsageException($"{where} holds no sweep '{sweep}'" + (files.Count == 0 ? "" :
                $"; {directory} holds {Units.Count(files.Count, "checkpoint")} of a deleted sweep of that name: to read them anyway, give that directory"));

        // A registry entry written before entries kept the incarnation (2026-11-30) does not name it: then all are read.
        var current = summary.Incarnation is null ? files : files.Where(f => CheckpointFiles.IncarnationOf(f) == summary.Incarnation).ToList();
        if (files.Count > current.Count)
            Output.Info($"left out {Units.Count(files.Count - current.Count, "checkpoint")} in {directory} of an earlier sweep named '{sweep}'");
        return current.Count > 0 ? current
            : throw new UsageException($"sweep '{sweep}' in {where} has no checkpoint yet in {directory} (a pack writes its first at its first " +
                                       "checkpointEvery)");
    }
}
