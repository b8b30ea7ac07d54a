using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess status</c> without a sweep: every sweep the cluster knows, with its progress.</summary>
internal static class SweepListView
{
    /// <summary>A registry entry with what its coordinator says of it (null fields: it did not answer with a sweep).</summary>
    /// <param name="Problem">Its status's problem line (a store that takes no writes, packs that cannot start, ...).</param>
    /// <param name="Waiting">Its status's note while other sweeps hold the slots its ready packs wait for.</param>
    /// <param name="Priority">Its weight in the fair share of slots (null: not known).</param>
    public sealed record Entry(string Name, SweepState State, DateTimeOffset CreatedAt, long? EpochsDone, long? EpochsTotal, double? SecondsLeft,
        string? Problem = null, string? Waiting = null, int? Priority = null)
    {
        public static Entry Of(SweepSummary summary, SweepStatus? status) =>
            new(summary.Name, status?.State ?? summary.State, summary.CreatedAt, status?.EpochsDone, status?.EpochsTotal, status?.SecondsLeft,
                status?.Problem, status?.Waiting, status?.Priority);
    }

    /// <summary>The table, then each sweep's problem in full below it: a sweep stuck among many shows in the list, not
    /// only in its own status.</summary>
    public static void Render(IReadOnlyList<Entry> sweeps)
    {
        if (sweeps.Count == 0)
        {
            Output.Line("no sweeps");
            return;
        }
        CliConsole.Out.Write(Build(sweeps));
        foreach (var line in ProblemLines(sweeps)) Output.Line(line);
    }

    internal static IEnumerable<string> ProblemLines(IReadOnlyList<Entry> sweeps) =>
        sweeps.Where(s => s.Problem is not null).OrderBy(s => s.CreatedAt).Select(s => $"{s.Name}: problem: {s.Problem}");

    /// <summary>Time left only where a running sweep has a known pace; priority only where a sweep has one other than
    /// the default.</summary>
    internal static Table Build(IReadOnlyList<Entry> sweeps)
    {
        bool anyLeft = sweeps.Any(s => s.SecondsLeft is not null);
        bool anyPriority = sweeps.Any(s => s.Priority is { } p && p != SweepPriority.Default);
        var table = new Table().Border(TableBorder.Simple).AddColumns("sweep", "state", "cell-epochs");
        table.Columns[2].RightAligned();
        if (anyLeft) table.AddColumn("time left");
        if (anyPriority) table.AddColumn(new TableColumn("priority").RightAligned());
        table.AddColumn("created");
        foreach (var s in sweeps.OrderBy(s => s.CreatedAt))
        {
            List<string> row = [Markup.Escape(s.Name), State(s), Progress(s)];
            if (anyLeft) row.Add(Left(s));
            if (anyPriority) row.Add(s.Priority?.ToString(CultureInfo.InvariantCulture) ?? "");
            row.Add(s.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
        }
        return table;
    }

    private static string State(Entry s) =>
        s.State.Name() + (s.Problem is not null ? ", problem (below)" : s.Waiting is not null ? ", waiting for slots" : "");

    private static string Left(Entry s) => s.SecondsLeft is { } left ? TimeLeft.Duration(left) : "";

    /// <summary>"310/1200 (26%)"; empty when the coordinator had nothing to say.</summary>
    private static string Progress(Entry s) => s is { EpochsDone: { } done, EpochsTotal: { } total }
        ? $"{done}/{total} ({ProgressPercent.Text(done, total, 0)}%)"
        : "";
}
