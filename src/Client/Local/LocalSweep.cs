using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Local;

/// <summary>Runs one sweep on a <see cref="LocalSweepHost"/>: submit (or resume), live progress, results table. On
/// cancellation (Ctrl-C) it stops the running packs at an epoch boundary with a checkpoint before the host goes down.</summary>
internal static class LocalSweep
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="extend">Let a spec that adds values to the stored one's axes add their cells (<c>--extend</c>).</param>
    public static async Task<int> RunAsync(LocalSweepHost host, SweepSpec spec, bool extend, CancellationToken cancellationToken)
    {
        var coordinator = host.Grains.GetGrain<ISweepCoordinatorGrain>(spec.Name);
        // A Ctrl-C while the silo started: not a sweep submitted and suspended at once (whose spec, if that was why,
        // could then not be changed without a delete).
        cancellationToken.ThrowIfCancellationRequested();
        SubmitResult submitted;
        try
        {
            submitted = extend ? await coordinator.ExtendAsync(spec) : await coordinator.SubmitAsync(spec);
        }
        catch (SpecValidationException e) when (DeleteCommandIn(e.Message, spec.Name) is { } cited)
        {
            // The refusal is the coordinator's, written for a cluster: its delete would go to a gateway.
            throw new UsageException(e.Message.Replace(cited, DeleteCommand(spec.Name, host.Options.StateDirectory), StringComparison.Ordinal));
        }
        var status = await coordinator.GetStatusAsync();
        bool complete = !submitted.Created && !submitted.Extended && status is { State: SweepState.Completed }
            && status.Count(CellState.Failed) == 0 && status.Count(CellState.Cancelled) == 0;
        // An extension that added no cell (a new maxCells, rates moved into learningRates) says what it stored.
        var stored = SubmitCommand.SameCells(submitted) is { } same ? $"{same}; " : "";
        Output.Info(submitted.Created
            ? $"sweep {spec.Name}: {submitted.Cells} cells in {submitted.Packs} packs; state in {host.Options.StateDirectory}" + Slots(host.Options)
            : complete
                ? $"sweep {spec.Name} found in {host.Options.StateDirectory}: {stored}already complete, nothing to train"
                : submitted.Extended
                    ? $"sweep {spec.Name} found in {host.Options.StateDirectory}: {SubmitCommand.Extended(submitted)}; resuming" + Slots(host.Options)
                    : $"sweep {spec.Name} found in {host.Options.StateDirectory}: {stored}resuming" + Slots(host.Options));
        if (status is not null && status.Cells.Any(c => c.State is CellState.Failed or CellState.Cancelled))
            Output.Info($"re-queued {await coordinator.ResumeAsync()} failed or cancelled cells");
        if (host.Options.MetricsPort is { } port) Output.Info($"metrics at http://127.0.0.1:{port}/metrics");

        SweepStatus? last;
        try
        {
            // As watch follows a cluster: a poll that fails (a call timing out on a machine too busy to answer in time) is
            // retried for two minutes, and said, rather than ending the run.
            last = await ProgressView.RunAsync(onProblem => SweepPolling.FollowAsync(coordinator, spec.Name, PollInterval,
                giveUpAfter: TimeSpan.FromMinutes(2), onProblem, cancellationToken, source: "the local silo"), cancellationToken,
                results: () => coordinator.GetResultsAsync(selection: null));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Output.Info("interrupted: stopping running cells at an epoch boundary and checkpointing them (Ctrl-C again stops at once)...");
            // A suspend that fails (a call timing out on a busy machine) still leaves the sweep to resume: said either way.
            try { await SuspendAsync(coordinator); }
            finally { Output.Info($"running the same command again resumes the sweep from its checkpoints in {host.Options.StateDirectory}"); }
            throw;
        }
        var results = await coordinator.GetResultsAsync(selection: null);
        if (results is not null) ResultsTable.Render(results);
        ProgressView.ReportFailures(last, "the same command again retries them");
        return ExitCodes.ForSweep(last);
    }

    /// <summary>The <c>`gradguess delete NAME`</c> a coordinator's refusal cites, if it cites one.</summary>
    private static string? DeleteCommandIn(string message, string sweep) =>
        message.Contains($"`gradguess delete {sweep}`", StringComparison.Ordinal) ? $"`gradguess delete {sweep}`" : null;

    /// <summary>The delete of <paramref name="sweep"/> in this state directory, as a user would type it.</summary>
    public static string DeleteCommand(string sweep, string stateDirectory) =>
        $"`gradguess delete --state-dir {ShellWord(stateDirectory)} {sweep}`";

    /// <summary><paramref name="word"/> as one shell word: quoted only where it needs to be.</summary>
    internal static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c))
            ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>How many packs train at once: the default of --cpu-slots depends on the machine, so it is said.</summary>
    private static string Slots(LocalHostOptions options) =>
        (options.CpuSlots > 0 ? $"; {options.CpuSlots} pack{(options.CpuSlots == 1 ? "" : "s")} at once on the CPU" : "")
        + (options.Gpus is int gpus && gpus > 0 ? $"{(options.CpuSlots > 0 ? "," : ";")} {options.SlotsPerGpu} on each of {gpus} GPU{(gpus == 1 ? "" : "s")}" : "");

    private static async Task SuspendAsync(ISweepCoordinatorGrain coordinator)
    {
        await coordinator.SuspendAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var status = await coordinator.GetStatusAsync();
            if (status is null || status.Count(CellState.Running) == 0) return;
            await Task.Delay(100);
        }
        // The silo's shutdown that follows still stops them and checkpoints where they stand.
        Output.Info("some cells are still stopping after 60 s; waiting for the local silo to shut down");
    }
}
