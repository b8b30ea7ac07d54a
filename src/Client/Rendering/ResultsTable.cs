using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// The study-shaped results table: method × optimizer → best learning rate (flagged at the grid's edge), train and test
/// accuracy, averaged over seeds. Renders whatever <see cref="SweepResults"/> it is given, from any source.
/// </summary>
internal static class ResultsTable
{
    private static readonly Lazy<IAnsiConsole> DefaultConsole = new(() =>
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 240;   // whole rows in logs and files
        return console;
    });

    /// <summary>Writes the title line, the table and the notes to stdout (or <paramref name="console"/>).</summary>
    public static void Render(SweepResults results, IAnsiConsole? console = null)
    {
        console ??= DefaultConsole.Value;
        console.WriteLine(Title(results));
        console.Write(Build(results));
        if (results.Rows.Any(r => r.AtGridEdge))
            console.WriteLine("* the best learning rate is at the edge of the grid: the optimum may lie outside it");
    }

    public static string Title(SweepResults results) =>
        $"results of {results.Name} ({results.State.ToString().ToLowerInvariant()}): best learning rate per method × optimizer by {Rule(results.Selection)}, mean over seeds";

    /// <summary>A selection rule in words, e.g. "final train accuracy".</summary>
    public static string Rule(SelectionSpec selection) =>
        (selection.At == SelectionPoint.Final ? "final " : "best ")
        + (selection.Metric == SelectionMetric.TrainAccuracy ? "train accuracy" : "test accuracy");

    public static Table Build(SweepResults results)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("method").AddColumn("optimizer").AddColumn(new TableColumn("best lr").RightAligned())
            .AddColumn(new TableColumn("train acc").RightAligned()).AddColumn(new TableColumn("test acc").RightAligned())
            .AddColumn(new TableColumn("finished").RightAligned()).AddColumn("note");
        foreach (var row in results.Rows)
            table.AddRow(
                Markup.Escape(row.Method),
                Markup.Escape(row.Optimizer),
                row.BestLearningRate is { } lr ? Lr(lr) + (row.AtGridEdge ? " *" : "") : "-",
                Percent(row.TrainAccuracy),
                Percent(row.TestAccuracy),
                $"{row.CellsFinished}/{row.CellsTotal}",
                Markup.Escape(row.Note ?? ""));
        return table;
    }

    /// <summary>A learning rate in the shortest scientific form that reads back as the same double (1e-3, 1.5e-3,
    /// 1.23451e-3): a fixed number of digits printed distinct grid values alike.</summary>
    public static string Lr(double lr)
    {
        if (!double.IsFinite(lr)) return lr.ToString(CultureInfo.InvariantCulture);
        string text;
        int decimals = 0;
        do text = lr.ToString("E" + decimals++, CultureInfo.InvariantCulture);   // "1.5E-003"; with 16 decimals, any double reads back
        while (double.Parse(text, CultureInfo.InvariantCulture) != lr);
        int e = text.IndexOf('E');
        return text[..e] + "e" + int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture).ToString("+0;-0", CultureInfo.InvariantCulture);
    }

    public static string Percent(double? value) => value is { } v ? (100 * v).ToString("F2", CultureInfo.InvariantCulture) + "%" : "-";
}
