using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess status SWEEP</c>: a summary line, the counts by state, and one row per cell.</summary>
internal static class SweepStatusView
{
    public static void Render(SweepStatus status)
    {
        Output.Line(Summary(status));
        if (status.Problem is { } problem) Output.Line("problem: " + problem);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("method", "optimizer", "lr", "seed", "state", "epoch", "train acc", "test acc", "train loss", "where");
        foreach (var c in status.Cells)
            table.AddRow(Markup.Escape(c.Config.Method), Markup.Escape(c.Config.Optimizer),
                c.Config.LearningRate.ToString("G", CultureInfo.InvariantCulture), c.Config.Seed.ToString(CultureInfo.InvariantCulture),
                CellStates.Name(c.State), $"{c.Epoch}/{c.Epochs}", F(c.TrainAccuracy), F(c.TestAccuracy), F(c.TrainLoss),
                Markup.Escape(c.State == CellState.Running ? $"{c.Silo} {c.Device}" : c.Error is { } e ? Clip(e) : ""));
        CliConsole.Out.Write(table);
        // An error can be a long line: the table shows its start, and each one follows in full, so the table stays narrow.
        foreach (var c in status.Cells.Where(c => c.Error is { Length: > ErrorWidth }))
            Output.Line($"{c.Config.Method} {c.Config.Optimizer} lr={c.Config.LearningRate.ToString("G", CultureInfo.InvariantCulture)} seed={c.Config.Seed}: {c.Error}");
    }

    private const int ErrorWidth = 40;

    private static string Clip(string error) => error.Length <= ErrorWidth ? error : error[..(ErrorWidth - 1)] + "…";

    /// <summary>"sweep NAME: STATE, N cells (a completed, b running, ...), E/T cell-epochs (P%)".</summary>
    public static string Summary(SweepStatus status)
    {
        var counts = CellStates.All.Select(s => (s, n: status.Count(s))).Where(x => x.n > 0)
            .Select(x => $"{x.n} {CellStates.Name(x.s)}");
        double pct = status.EpochsTotal == 0 ? 100 : 100.0 * status.EpochsDone / status.EpochsTotal;
        return $"sweep {status.Name}: {status.State.ToString().ToLowerInvariant()}, {status.Cells.Count} cells " +
               $"({string.Join(", ", counts)}), {status.EpochsDone}/{status.EpochsTotal} cell-epochs ({pct.ToString("F0", CultureInfo.InvariantCulture)}%)";
    }

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
