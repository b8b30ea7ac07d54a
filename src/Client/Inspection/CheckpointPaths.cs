using System.Text.Json;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Inspection;

/// <summary>Checkpoints named on the command line (<c>inspect</c>, <c>weights</c>): a file or a directory of them, and the
/// pack configuration each keeps.</summary>
internal static class CheckpointPaths
{
    /// <summary>The checkpoint at <paramref name="path"/>, or every one in the directory there, in name order.</summary>
    public static IReadOnlyList<string> At(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new UsageException($"CHECKPOINT: no file or directory at {path}");
        var files = Directory.GetFiles(path, "*" + CheckpointFiles.Extension).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new UsageException($"CHECKPOINT: {path} holds no checkpoint (*{CheckpointFiles.Extension}){Below(path)}");
    }

    /// <summary>Where checkpoints lie further down (a state directory, or its checkpoints/ holding one directory per
    /// sweep): said, so that the next try names one.</summary>
    private static string Below(string path)
    {
        // Two levels down at most: a state directory's are in checkpoints/SWEEP, and a large tree is not walked.
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true };
        var holding = Directory.EnumerateDirectories(path, "*", options)
            .Where(d => Directory.EnumerateFiles(d, "*" + CheckpointFiles.Extension, new EnumerationOptions { IgnoreInaccessible = true }).Any())
            .Select(d => Path.GetRelativePath(path, d)).Order(StringComparer.Ordinal).ToList();
        return holding.Count == 0 ? "" : $"; these directories in it hold some: {string.Join(", ", holding.Take(5))}" +
            (holding.Count > 5 ? $" and {holding.Count - 5} more" : "");
    }

    /// <summary>The configuration of the pack whose checkpoint <paramref name="state"/> is: what its weights are.</summary>
    public static PackSpec ReadSpec(string file, CheckpointState state)
    {
        if (state.Configuration is null)
            throw new CheckpointCorruptException(file, "it was written before checkpoints kept their pack's configuration: nothing says what its weights are");
        try { return PackFingerprint.Read(state.Configuration, state.Epoch); }
        catch (JsonException e) { throw new CheckpointCorruptException(file, "its configuration cannot be read: " + e.Message, e); }
    }

}
