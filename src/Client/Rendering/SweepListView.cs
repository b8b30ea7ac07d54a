using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess status</c> without a sweep: every sweep the cluster knows.</summary>
internal static class SweepListView
{
    public static void Render(IReadOnlyList<SweepSummary> sweeps)
    {
        if (sweeps.Count == 0)
        {
            Output.Line("no sweeps");
            return;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumns("sweep", "state", "created");
        foreach (var s in sweeps.OrderBy(s => s.CreatedAt))
            table.AddRow(Markup.Escape(s.Name), s.State.Name(),
                s.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        CliConsole.Out.Write(table);
    }
}
