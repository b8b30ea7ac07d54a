using System.CommandLine;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess delete SWEEP</c>: removes a sweep that is not running, with its curves, pack states and
/// checkpoints, so that its name can be submitted again (with another spec); from a cluster, or from a local state
/// directory with <c>--state-dir</c>. Asks first unless <c>--yes</c>.</summary>
internal sealed class DeleteCommand : Command
{
    /// <summary>How long to wait for cancelled packs to reach their epoch boundary before giving up.</summary>
    internal static readonly TimeSpan StoppingWait = TimeSpan.FromSeconds(60);

    private readonly Argument<string> _sweep = SweepArgument.Required();
    private readonly SweepSourceOptions _source = new(allowOffline: true,
        "Delete from a local state directory (not while gradguess local or a silo runs on it) instead of a cluster");
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask for confirmation" };

    public DeleteCommand() : base("delete", "Delete a sweep that is not running, with its curves and checkpoints")
    {
        Arguments.Add(_sweep);
        _source.AddTo(this);
        Options.Add(_yes);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var sweep = parse.GetValue(_sweep)!;
        var yes = parse.GetValue(_yes);
        if (!yes && Console.IsInputRedirected)
            throw new UsageException($"delete removes sweep {sweep} and its files for good: pass --yes to confirm (stdin is not a terminal)");
        var (grains, lifetime, stateDirectory) = await _source.OpenForDeleteAsync(parse, ct);
        await using (lifetime)
        {
            var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(sweep);
            var confirmed = yes;
            try
            {
                var status = await coordinator.GetStatusAsync().WaitAsync(ct);
                if (status is null)
                {
                    // A delete whose registry update failed after the ledger was cleared left the sweep listed: the
                    // registry is told what the coordinator holds, so that `status` stops listing it.
                    try { await grains.GetGrain<ISweepRegistryGrain>(0).SyncAsync(sweep).WaitAsync(ct); }
                    catch (Exception e) when (e is not OperationCanceledException) { /* best effort: the answer is still "no sweep" */ }
                    throw GrainSweepSource.SweepNotFound(sweep);
                }
                // In a state directory whose lock we hold nothing trains, so a running sweep there is only paused.
                var offline = stateDirectory is not null;
                if (status.State == SweepState.Running && !offline) throw RunningError(sweep);
                if (!confirmed && !(confirmed = await ConfirmAsync(sweep, Describe(status, offline), Console.In, ct))) return ExitCodes.Failure;
                // A Ctrl-C while the status was read (a cold coordinator, slow storage) with --yes given: nothing is deleted.
                ct.ThrowIfCancellationRequested();
                var deletion = await DeleteAsync(coordinator, sweep, evenIfRunning: offline, ct);
                Output.Line($"deleted sweep {sweep}: {deletion.Cells} cells, {deletion.CurveChunks} curve chunks, {deletion.CheckpointFiles} checkpoint files");
                return ExitCodes.Success;
            }
            catch (Exception e) when (Failures.Cause(e) is StoredStateCorruptException corrupt)
            {
                // An unreadable ledger: nothing was deleted, and the sweep must be rebuilt before it can be (the hint says how).
                if (stateDirectory is null && StoredStateHints.IsSweepState(corrupt.Message)) throw;
                if (stateDirectory is null)
                    throw new UsageException($"{corrupt.Message}; {corrupt.WayOut} and run delete again (until then the sweep is " +
                                             "half deleted: it refuses to be submitted again)");
                // A state directory we hold: a damaged file of the sweep need not stop its delete. Its files go by the
                // file store's layout, then the registry forgets it once no activation remembers it.
                if (!confirmed && !await ConfirmAsync(sweep, "its state is damaged", Console.In, ct)) return ExitCodes.Failure;
                var files = LocalSweepFiles.Remove(new LocalHostOptions(stateDirectory), sweep);
                await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                await grains.GetGrain<ISweepRegistryGrain>(0).SyncAsync(sweep);
                Output.Info($"{corrupt.Message}: removed the sweep's files one by one instead");
                Output.Line($"deleted sweep {sweep}: {files} files");
                return ExitCodes.Success;
            }
        }
    }

    /// <summary>Deletes, waiting (bounded) for cancelled packs that are still on their way to an epoch boundary.</summary>
    private static async Task<SweepDeletion> DeleteAsync(ISweepCoordinatorGrain coordinator, string sweep, bool evenIfRunning, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StoppingWait;
        for (var said = false; ; said = true)
        {
            var deletion = await coordinator.DeleteAsync(evenIfRunning);
            switch (deletion.Outcome)
            {
                case SweepDeletionOutcome.Deleted: return deletion;
                case SweepDeletionOutcome.NotFound: throw GrainSweepSource.SweepNotFound(sweep);
                case SweepDeletionOutcome.Running: throw RunningError(sweep);
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"sweep {sweep}: its cancelled packs did not stop within {StoppingWait.TotalSeconds:0} s; nothing was deleted, try again later");
            if (!said) Output.Info($"waiting for the cancelled packs of {sweep} to stop at an epoch boundary...");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static UsageException RunningError(string sweep) =>
        new($"sweep {sweep} is running: cancel it first (gradguess cancel {sweep}), then delete it");

    private static string Describe(SweepStatus status, bool offline)
    {
        // A running sweep in a state directory nobody holds is paused, not running.
        var state = status.State == SweepState.Running && offline ? "paused" : status.State.Name();
        return $"{state}, {Units.Count(status.Cells.Count, "cell")}, {status.Cells.Count(c => c.Epoch > 0)} with curves";
    }

    /// <summary>Asks on the terminal; declining, or Ctrl-C while asked, deletes nothing and exits 1, as an aborted
    /// command does.</summary>
    internal static async Task<bool> ConfirmAsync(string sweep, string what, TextReader input, CancellationToken ct)
    {
        Console.Error.Write($"delete sweep {sweep} ({what}) and its checkpoints for good? [y/N] ");
        string? answer;
        // ReadLine does not see the token (Console.In's async read is the same blocking call): awaited beside the token,
        // the question ends at Ctrl-C, and a "y" typed afterwards no longer counts.
        try { answer = (await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(ct))?.Trim(); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine();
            answer = null;
        }
        if (answer is "y" or "Y" or "yes" or "Yes" or "YES") return true;
        Output.Info("nothing deleted");
        return false;
    }
}
