using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Runtime;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess status SWEEP</c>: a summary line, the data its packs train on, how it grew, notes (a problem, waiting for
/// slots, preempted, resumed under other numerics, a priority other than the default), one row per cell, and the failed cells' errors.</summary>
internal static class SweepStatusView
{
    /// <param name="growth">How it grew with <c>--extend</c> (<see cref="GrowthText"/>); null if it never did.</param>
    public static void Render(SweepStatus status, string? growth = null)
    {
        Output.Line(Summary(status));
        if (status.Data is { } data) Output.Line($"data: {data.Source} (digest {data.Digest}, first read on silo {data.Silo})");
        if (growth is not null) Output.Line("grown with --extend: " + growth);
        if (status.Problem is { } problem) Output.Line("problem: " + problem);
        if (status.Waiting is { } waiting) Output.Line(WaitingLine(waiting));
        if (status.Yields is { } yields) Output.Line("preempted: " + Preempted(yields));
        if (status.Numerics is { } numerics) Output.Line("numerics: " + Numerics(numerics));
        if (status.Priority != SweepPriority.Default)
            Output.Line($"priority: {status.Priority} (its weight in the fair share of training slots; the default is {SweepPriority.Default})");
        // The live view's table, fitted to the terminal (a pipe or file gets every column); errors follow it in full.
        CliConsole.Out.Write(ProgressTable.Build(status.Cells, CliConsole.Out.Profile.Width));
        foreach (var c in status.Cells.Where(c => c.Error is not null))
            Output.Line($"{ProgressView.Describe(c.Config)}: {c.Error}");
    }

    /// <summary>"waiting: 2 packs wait for a slot: ... (gradguess slots shows who holds the slots and when each pack ends)":
    /// where to look next, since the sweep knows only its own packs.</summary>
    internal static string WaitingLine(string waiting) => $"waiting: {waiting} (gradguess slots shows who holds the slots and when each pack ends)";

    /// <summary>"pack p3 gave its slot to sweep short after epoch 40 at 11:03:04 UTC (fair share; it checkpointed there and
    /// queued again to resume from it), 2 slots given up in all".</summary>
    public static string Preempted(SlotYields y) =>
        $"pack {y.LastPack} gave its slot to sweep {y.LastTo} after epoch {y.LastEpoch} at {y.LastAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC " +
        "(fair share; it checkpointed there and queued again to resume from it)" + (y.Count > 1 ? $", {y.Count} slots given up in all" : "");

    /// <summary>"pack p3 resumed under libtorch 2.10.0.0, cpu, 2 threads, ... (its checkpoint was written under ...): training
    /// goes on correctly, but ... (<see cref="NumericsChange.Consequence"/>), 2 such resumes in all".</summary>
    public static string Numerics(NumericsResumes n) =>
        $"pack {n.LastPack} resumed under {n.Last.Now} (its checkpoint was written under {n.Last.Stored}): {NumericsChange.Consequence}"
        + (n.Count > 1 ? $", {n.Count} such resumes in all" : "");

    /// <summary>"sweep NAME: STATE, N cells (a completed, b running, ...), E/T cell-epochs (P%), about 12 min left".</summary>
    public static string Summary(SweepStatus status)
    {
        var counts = CellStates.All.Select(s => (s, n: status.Count(s))).Where(x => x.n > 0)
            .Select(x => $"{x.n} {CellStates.Name(x.s)}");
        return $"sweep {status.Name}: {status.State.Name()}, {Units.Count(status.Cells.Count, "cell")} " +
               $"({string.Join(", ", counts)}), {status.EpochsDone}/{status.EpochsTotal} cell-epochs ({ProgressPercent.Text(status.EpochsDone, status.EpochsTotal, 0)}%)" +
               TimeLeft.Suffix(status);
    }
}
