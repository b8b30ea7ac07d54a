using GradGuessCluster.Grains.Storage;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// What to do about a damaged state file, added to the storage's message (which names the file). Only a sweep's own
/// state has a way out to offer here: the coordinator is rebuilt from the same spec, and its cells continue from their
/// checkpoints and stored curves (LocalCommandTests takes that way out on a completed sweep: the same export). Other files
/// say what to do where they are read (a pack's state, a curve).
/// </summary>
internal static class StateFileHints
{
    private static readonly string SweepStateDirectory = $"{Path.DirectorySeparatorChar}gg-sweep{Path.DirectorySeparatorChar}";

    public static string Message(Exception cause) =>
        cause is StateFileCorruptException && cause.Message.Contains(SweepStateDirectory, StringComparison.Ordinal)
            ? cause.Message + "; to recover, move that file away and run the same spec again (local, or submit): the sweep is rebuilt and its cells continue from their checkpoints and stored curves"
            : cause.Message;
}
