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
    /// <summary>The line shown for a failure's cause: its message without the stack frames some Orleans messages embed,
    /// and the way out when it is a damaged sweep ledger or sweep registry.</summary>
    public static string Message(Exception cause)
    {
        var message = Failures.OneLine(cause.Message);
        if (cause is not StoredStateCorruptException corrupt) return message;
        if (IsSweepState(cause.Message))
            return $"{message}; to recover, {corrupt.WayOut} and run the same spec again (local, or submit): the sweep is rebuilt and its cells continue from their checkpoints and stored curves";
        // The registry only lists the sweeps: each coordinator writes its entry again whenever a silo activates it.
        return Names(cause.Message, SweepRegistryGrain.GrainTypeName)
            ? $"{message}; to recover, {corrupt.WayOut}, then name each sweep once (status NAME, resume NAME, or local with " +
              "its spec; their ledgers are gg-sweep/NAME): a silo lists a sweep again when it activates it, and wakes running " +
              "sweeps after a restart only from the registry. Ledgers, curves and checkpoints are untouched"
            : message;
    }

    /// <summary>Whether a damaged state's message names a sweep's ledger.</summary>
    public static bool IsSweepState(string message) => Names(message, SweepCoordinatorGrain.GrainTypeName);

    /// <summary>Whether the message names a state of that grain type: a file path (".../TYPE/...") or a store entry's
    /// grain id ("... of TYPE/KEY").</summary>
    private static bool Names(string message, string grainType) =>
        message.Contains($"/{grainType}/", StringComparison.Ordinal) || message.Contains($" of {grainType}/", StringComparison.Ordinal);
}
