using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The study-shaped results table (method × optimizer → best LR, train and test accuracy). Interim: to be
/// replaced by the shared Rendering/ResultsTable once it lands.</summary>
internal static class ClusterResultsView
{
    public static void Render(SweepResults results)
    {
        var selection = results.Selection;
        Output.Line($"results of {results.Name} ({results.State.ToString().ToLowerInvariant()}): best LR per method × optimizer by " +
                    $"{selection.Metric} at {selection.At}".ToLowerInvariant());
        var table = new Table().Border(TableBorder.Simple).AddColumns("method", "optimizer", "best lr", "train acc", "test acc", "cells", "note");
        foreach (var r in results.Rows)
            table.AddRow(Markup.Escape(r.Method), Markup.Escape(r.Optimizer),
                r.BestLearningRate is { } lr ? lr.ToString("G", CultureInfo.InvariantCulture) + (r.AtGridEdge ? " (edge)" : "") : "-",
                Percent(r.TrainAccuracy), Percent(r.TestAccuracy), $"{r.CellsFinished}/{r.CellsTotal}", Markup.Escape(r.Note ?? ""));
        CliConsole.Out.Write(table);
    }

    private static string Percent(double? v) => v is { } x ? (100 * x).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";
}
