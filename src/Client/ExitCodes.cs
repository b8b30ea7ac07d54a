using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client;

/// <summary>The CLI's exit codes (SPEC §7) and the one place that maps exceptions to them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    /// <summary>Invalid input is whatever the user can fix in what they passed: options, spec files, data, checkpoint
    /// and state files.</summary>
    public static int For(Exception e) => e switch
    {
        UsageException or DataFormatException or DataChangedException or CheckpointCorruptException or CheckpointUnreadableException
            or SpecValidationException or StoredStateCorruptException or HostDirectoryException or LibTorchVariableException => InvalidInput,
        _ => Failure,
    };

    /// <summary>A followed sweep (<c>local</c>, <c>watch</c>, <c>submit --watch</c>) that ended with failed cells, or
    /// cancelled, is a failure, so scripts notice (<c>submit --watch &amp;&amp; export</c> would export part of a grid);
    /// diverged cells are a result, not a failure. No status at all (never seen) fails too.</summary>
    public static int ForSweep(SweepStatus? last) =>
        last is null || last.Count(CellState.Failed) > 0 || last.State == SweepState.Cancelled ? Failure : Success;
}

/// <summary>A bad option value or combination, detected by a command; exit code 2 with the message on stderr.</summary>
internal sealed class UsageException(string message) : Exception(message);
