using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// <c>gradguess watch</c>: live progress bars (one per method × optimizer, plus the whole sweep) on a terminal; one
/// summary line per change when stdout is a pipe or file. Renders the statuses it is given until they end.
/// </summary>
internal static class WatchView
{
    /// <returns>The last status seen (the finished sweep, unless the updates stopped early).</returns>
    public static async Task<SweepStatus?> RunAsync(IAsyncEnumerable<SweepStatus> updates, CancellationToken cancellationToken)
    {
        if (!CliConsole.IsInteractive) return await PlainAsync(updates, cancellationToken);
        SweepStatus? last = null;
        await CliConsole.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                await foreach (var status in updates.WithCancellation(cancellationToken))
                {
                    last = status;
                    foreach (var (label, done, total) in Groups(status))
                    {
                        if (!tasks.TryGetValue(label, out var task))
                            tasks[label] = task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
                        task.Value = done;
                    }
                    ctx.Refresh();
                }
            });
        if (last is not null) Output.Line(SweepStatusView.Summary(last));
        return last;
    }

    private static async Task<SweepStatus?> PlainAsync(IAsyncEnumerable<SweepStatus> updates, CancellationToken cancellationToken)
    {
        SweepStatus? last = null;
        string? previous = null;
        await foreach (var status in updates.WithCancellation(cancellationToken))
        {
            last = status;
            var line = SweepStatusView.Summary(status);
            if (line != previous) Output.Line(line);
            previous = line;
        }
        return last;
    }

    /// <summary>(label, cell-epochs done, cell-epochs in total): the whole sweep, then each method × optimizer.</summary>
    private static IEnumerable<(string Label, long Done, long Total)> Groups(SweepStatus status)
    {
        yield return ($"{status.Name} ({status.State.ToString().ToLowerInvariant()})", status.EpochsDone, status.EpochsTotal);
        foreach (var g in status.Cells.GroupBy(c => (c.Config.Method, c.Config.Optimizer)))
            yield return ($"  {g.Key.Method} · {g.Key.Optimizer}",
                g.Sum(c => (long)(c.State is CellState.Completed or CellState.Diverged ? c.Epochs : c.Epoch)),
                g.Sum(c => (long)c.Epochs));
    }
}
