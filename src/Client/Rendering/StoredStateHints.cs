using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// What to do about a damaged stored state, added to the storage's message (which names the file, or the store's
/// key). Only a sweep's own state has a way out to offer here: the coordinator is rebuilt from the same spec, and its
/// cells continue from their checkpoints and stored curves (LocalCommandTests takes that way out on a completed sweep:
/// the same export; CorruptStoredStateEndToEndTests on Redis and PostgreSQL). Other states say what to do where they are read (a
/// pack's state, a curve).
/// </summary>
internal static class StoredStateHints
{
    // A ledger file's path (".../gg-sweep/NAME.sweep.state") or a store entry's grain id ("... of gg-sweep/NAME").
    private const string SweepState = SweepCoordinatorGrain.GrainTypeName + "/";

    /// <summary>The line shown for a failure's cause: its message without the stack frames some Orleans messages embed,
    /// and the way out when it is a damaged sweep ledger.</summary>
    public static string Message(Exception cause)
    {
        var message = Failures.OneLine(cause.Message);
        return cause is StoredStateCorruptException corrupt && IsSweepState(cause.Message)
            ? $"{message}; to recover, {corrupt.WayOut} and run the same spec again (local, or submit): the sweep is rebuilt and its cells continue from their checkpoints and stored curves"
            : message;
    }

    /// <summary>Whether a damaged state's message names a sweep's ledger.</summary>
    public static bool IsSweepState(string message) =>
        message.Contains("/" + SweepState, StringComparison.Ordinal) || message.Contains(" of " + SweepState, StringComparison.Ordinal);
}
