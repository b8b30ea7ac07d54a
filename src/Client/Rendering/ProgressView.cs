using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// Live progress of a sweep, one row per cell (state, epochs as a bar, latest accuracies, silo and device; fitted to the terminal
/// by <see cref="ProgressTable"/>), under a summary line;
/// large sweeps show their running cells and the counts. On a terminal it redraws in place; when stdout is a pipe or a
/// file it writes one line per cell event (started, finished) and a summary line now and then. It renders the statuses it
/// is given, however they were fetched, until they end.
/// </summary>
internal static class ProgressView
{
    private const int MaxRows = 40;

    /// <returns>The last status seen.</returns>
    public static Task<SweepStatus?> RunAsync(IAsyncEnumerable<SweepStatus> updates, CancellationToken cancellationToken) =>
        RunAsync(_ => updates, cancellationToken);

    /// <param name="follow">The statuses, given where to say that fetching them is failing (the cluster is away): a
    /// line on stderr when plain, a line in the live view on a terminal, where a line written under the view would be
    /// drawn over by its next redraw.</param>
    /// <returns>The last status seen.</returns>
    /// <param name="results">The sweep's results table, asked when a row becomes final to say its pick: a line in plain
    /// output, a line under the live view's table.</param>
    public static async Task<SweepStatus?> RunAsync(Func<Action<string>, IAsyncEnumerable<SweepStatus>> follow, CancellationToken cancellationToken,
        Func<Task<SweepResults?>>? results = null)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await PlainAsync(follow(Output.Info), results, cancellationToken);
        return await LiveAsync(AnsiConsole.Console, follow, cancellationToken, results);
    }

    internal static async Task<SweepStatus?> LiveAsync(IAnsiConsole console, Func<Action<string>, IAsyncEnumerable<SweepStatus>> follow,
        CancellationToken cancellationToken, Func<Task<SweepResults?>>? results = null)
    {
        SweepStatus? last = null;
        var decided = new DecidedRows();
        var said = new List<string>();
        await console.Live(new Text("starting...")).AutoClear(false).StartAsync(async ctx =>
        {
            // Called between two statuses, on the enumeration's own flow: no status arrives while the cluster is away.
            void Notice(string message)
            {
                ctx.UpdateTarget(last is null ? new Markup($"[yellow]{Markup.Escape(message)}[/]") : Render(last, console.Profile.Width, message, said));
                ctx.Refresh();
            }
            await foreach (var status in follow(Notice).WithCancellation(cancellationToken))
            {
                last = status;
                if (decided.Newly(status) is { Count: > 0 } rows && results is not null)
                    said.AddRange(await DecidedLinesAsync(results, rows, cancellationToken));
                ctx.UpdateTarget(Render(status, console.Profile.Width, decidedLines: said));
            }
        });
        return last;
    }

    /// <param name="notice">A line on fetching the status (the cluster is away), shown above the sweep's own problem.</param>
    /// <param name="decidedLines">The rows that became final while watched, with their picks, under the table.</param>
    public static IRenderable Render(SweepStatus status, int width, string? notice = null, IReadOnlyList<string>? decidedLines = null)
    {
        var cells = status.Cells.Count <= MaxRows ? status.Cells : status.Cells.Where(c => c.State == CellState.Running).Take(MaxRows).ToList();
        var table = ProgressTable.Build(cells, width);
        var rows = new List<IRenderable> { new Markup(Markup.Escape(Summary(status))), table };
        if (notice is not null) rows.Insert(1, new Markup($"[yellow]{Markup.Escape(notice)} (the table is as last seen)[/]"));
        if (status.Problem is { } problem) rows.Insert(1, new Markup($"[red]{Markup.Escape(problem)}[/]"));
        else if (status.Waiting is { } waiting) rows.Insert(1, new Markup($"[grey]{Markup.Escape(waiting)}[/]"));
        if (cells.Count < status.Cells.Count) rows.Add(new Markup($"[grey]({Showing(cells.Count, status.Count(CellState.Running), status.Cells.Count)})[/]"));
        foreach (var line in decidedLines ?? []) rows.Add(new Markup(Markup.Escape(line)));
        return new Rows(rows);
    }

    /// <summary>What the table of a large sweep leaves out: "showing the 12 running cells of 1000", or, with more running than
    /// it holds, "showing 40 of the 64 running cells (1000 in all)".</summary>
    internal static string Showing(int shown, int running, int total) => shown < running
        ? $"showing {shown} of the {running} running cells ({total} in all)"
        : $"showing the {shown} running cells of {total}";

    /// <summary>"sweep x running: 12/40 cells done (running 4, queued 24), 310/1200 epochs (25.8%), about 12 min left". Done
    /// means trained to the end: a diverged, failed or cancelled cell is counted in the parentheses only, so a sweep
    /// whose every cell failed reads "completed: 0/16 cells done (failed 16)".</summary>
    public static string Summary(SweepStatus status)
    {
        var done = status.Count(CellState.Completed);
        var counts = string.Join(", ", CellStates.All.Where(s => s != CellState.Completed && status.Count(s) > 0).Select(s => $"{s.Name()} {status.Count(s)}"));
        return $"sweep {status.Name} {status.State.Name()}: {done}/{status.Cells.Count} cells done" +
               (counts.Length > 0 ? $" ({counts})" : "") + $", {status.EpochsDone}/{status.EpochsTotal} epochs ({ProgressPercent.Text(status.EpochsDone, status.EpochsTotal, 1)}%)" +
               TimeLeft.Suffix(status);
    }

    /// <summary>After a followed sweep that ended with failed cells, or cancelled (the exit code is then 1): how many, the
    /// first error (a live view of a large sweep shows no finished rows) and how to retry them, which the caller words.</summary>
    public static void ReportFailures(SweepStatus? last, string retry)
    {
        if (last is { State: SweepState.Cancelled } cancelled)   // the way on said once, after the failed cells where there are any
            Output.Info(cancelled.Count(CellState.Cancelled) == 0
                ? $"sweep {cancelled.Name} was cancelled, but its cells had finished training before the cancel reached them"
                : $"sweep {cancelled.Name} was cancelled: {cancelled.Count(CellState.Cancelled)} of its {cancelled.Cells.Count} cells " +
                  "did not finish" + (cancelled.Count(CellState.Failed) > 0 ? "" : $"; {retry}"));
        if (last is null || !last.IsFinished || last.Count(CellState.Failed) is not (> 0 and var failed)) return;
        var first = last.Cells.First(c => c.State == CellState.Failed);
        Output.Info($"{failed} {(failed == 1 ? "cell" : "cells")} failed, first {Describe(first.Config)}: {first.Error}");
        Output.Info(retry);
    }

    internal static async Task<SweepStatus?> PlainAsync(IAsyncEnumerable<SweepStatus> updates, Func<Task<SweepResults?>>? results,
        CancellationToken cancellationToken)
    {
        SweepStatus? last = null;
        var lastSummary = DateTime.MinValue;
        var (problems, waits) = (new ChangedLine(), new ChangedLine());
        var (decided, cells) = (new DecidedRows(), new CellChanges());
        await foreach (var status in updates.WithCancellation(cancellationToken))
        {
            foreach (var line in cells.Lines(status)) Output.Line(line);
            if (decided.Newly(status) is { Count: > 0 } rows && results is not null)
                foreach (var line in await DecidedLinesAsync(results, rows, cancellationToken)) Output.Line(line);
            if (problems.Due(status.Problem, DateTime.UtcNow)) Output.Line("  problem   " + status.Problem);
            if (waits.Due(status.Waiting, DateTime.UtcNow)) Output.Line("  waiting   " + status.Waiting);
            if (status.Yields is { } yields && yields.Count != last?.Yields?.Count) Output.Line("  preempted " + SweepStatusView.Preempted(yields));
            if (status.Numerics is { } numerics && numerics.Count != last?.Numerics?.Count) Output.Line("  numerics  " + SweepStatusView.Numerics(numerics));
            if (DateTime.UtcNow - lastSummary > TimeSpan.FromSeconds(10) || status.IsFinished)
            {
                Output.Line(Summary(status));
                lastSummary = DateTime.UtcNow;
            }
            last = status;
        }
        return last;
    }

    /// <summary>A line per row that became final, with its pick; none when the table cannot be read now (advisory: the
    /// run goes on, and its table comes at the end).</summary>
    private static async Task<IEnumerable<string>> DecidedLinesAsync(Func<Task<SweepResults?>> results,
        IReadOnlyList<(string Method, string Optimizer)> rows, CancellationToken cancellationToken)
    {
        try
        {
            var table = await results().WaitAsync(cancellationToken);
            return table is null ? [] : rows.Select(r => table.Rows.FirstOrDefault(row => row.Method == r.Method && row.Optimizer == r.Optimizer))
                .OfType<ResultRow>().Select(DecidedRows.Line).ToList();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }

    /// <summary>"wt adamw lr=1e-3 seed=0": a cell on one line, as progress and status name it.</summary>
    public static string Describe(CellConfig c) => $"{c.Method} {c.Optimizer} lr={ResultsTable.Lr(c.LearningRate)} seed={c.Seed}";

    internal static string CellLine(CellStatus c)
    {
        var what = Describe(c.Config);
        return c.State switch
        {
            // First seen past epoch 0: it started (or resumed) between two polls, so "started" would read like a resume.
            CellState.Running => $"  {(c.Epoch == 0 ? "started" : "running"),-9} {what}{(c.Device is { } d ? " on " + d : "")} (epoch {c.Epoch}/{c.Epochs})",
            CellState.Failed => $"  failed    {what} at epoch {c.Epoch}: {c.Error}",
            // Its accuracies are from the last epoch evaluated before the NaN, not from the epoch it diverged at.
            CellState.Diverged => $"  diverged  {what} at epoch {c.Epoch}/{c.Epochs}" + (c.TrainAccuracy is null && c.TestAccuracy is null ? ""
                : $" (last evaluated: train {ResultsTable.Percent(c.TrainAccuracy)}, test {ResultsTable.Percent(c.TestAccuracy)})"),
            _ => $"  {c.State.Name(),-9} {what} at epoch {c.Epoch}/{c.Epochs}: train {ResultsTable.Percent(c.TrainAccuracy)}, test {ResultsTable.Percent(c.TestAccuracy)}",
        };
    }
}
