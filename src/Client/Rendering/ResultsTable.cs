using System.Globalization;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// The study-shaped results table: method × optimizer → best learning rate (flagged at the grid's edge), train and test
/// accuracy, averaged over seeds. Renders whatever <see cref="SweepResults"/> it is given, from any source.
/// </summary>
internal static class ResultsTable
{
    /// <summary>Writes the title line, the table and the notes to stdout (or <paramref name="console"/>).</summary>
    public static void Render(SweepResults results, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        var table = Build(results, console.Profile.Width, out var notesBelow, out var spread, out var lead);
        console.WriteLine(Title(results, spread));
        console.Write(table);
        if (notesBelow)
            foreach (var r in results.Rows.Where(r => !string.IsNullOrEmpty(r.Note)))
                console.WriteLine($"  {r.Method} {r.Optimizer}: {r.Note}");
        if (results.Rows.Any(r => r.AtGridEdge))
        {
            console.WriteLine("* the best learning rate is at the edge of the grid: the optimum may lie outside it");
            if (EdgeHint.For(results) is { } hint) console.WriteLine("  " + hint);
        }
        if (lead) console.WriteLine(LeadLegend(results.Selection));
    }

    /// <summary>What the lead column means, under <paramref name="selection"/>.</summary>
    public static string LeadLegend(SelectionSpec selection) =>
        $"lead: points of {Rule(selection)} ahead of the next learning rate (in brackets); a small lead is a near-tie";

    /// <summary>Whether some row has a runner-up to show a lead over.</summary>
    public static bool HasLead(SweepResults results) => results.Rows.Any(r => r.Lead is not null);

    /// <summary>"0.87 (1e-3)": the lead in points and the runner-up; "-" where no other learning rate competed.</summary>
    public static string LeadCell(ResultRow row) =>
        row is { Lead: { } lead, RunnerUpLearningRate: { } next } ? $"{InPoints(lead)} ({Lr(next)})" : "-";

    /// <param name="spread">Whether the table shows the accuracies' spread over seeds (rows have one, and it fits).</param>
    public static string Title(SweepResults results, bool spread) =>
        $"results of {results.Name} ({results.State.Name()}): best learning rate per method × optimizer by {Rule(results.Selection)}, mean over seeds" +
        (spread ? " ± their standard deviation (points)" : "");

    /// <summary>Whether some row has a spread over seeds to show.</summary>
    public static bool HasSpread(SweepResults results) => results.Rows.Any(r => r.TrainAccuracyStd is not null || r.TestAccuracyStd is not null);

    /// <summary>A selection rule in words, e.g. "final train accuracy", "train accuracy at epoch 50", "train accuracy
    /// averaged over the last 10 evaluations".</summary>
    public static string Rule(SelectionSpec selection)
    {
        var metric = selection.Metric == SelectionMetric.TrainAccuracy ? "train accuracy" : "test accuracy";
        if (selection.Window is { } window)
            return selection.At == SelectionPoint.Best ? $"best {metric} averaged over {window} consecutive evaluations"
                : $"{metric} averaged over the last {window} evaluations" + (selection.At == SelectionPoint.Epoch ? $" up to epoch {selection.Epoch}" : "");
        return selection.At switch
        {
            SelectionPoint.Final => "final " + metric,
            SelectionPoint.Best => "best " + metric,
            _ => $"{metric} at epoch {selection.Epoch}",
        };
    }

    private static readonly string[] LongHeaders = ["method", "optimizer", "best lr", "train acc", "test acc", "lead", "finished"];
    private static readonly string[] ShortHeaders = ["method", "opt", "lr", "train", "test", "lead", "done"];
    private const int LeadColumn = 5;
    private const int NoteRoom = 10;   // a note wraps within its column, which keeps at least this many characters

    /// <summary>The table for a terminal <paramref name="width"/> characters wide. Every column but the note keeps its
    /// text on one line (a method name broken over two lines reads as two rows): headers shorten first, then method
    /// names are cut with an ellipsis, as in the progress table, and where the note would still have too little room
    /// the notes go below the table (<paramref name="notesBelow"/>). The accuracies' spread over seeds is shown where the
    /// table still fits with it (<paramref name="spread"/>); a narrower terminal gets the means alone.</summary>
    public static Table Build(SweepResults results, int width, out bool notesBelow, out bool spread, out bool lead)
    {
        bool notes = results.Rows.Any(r => !string.IsNullOrEmpty(r.Note));
        // The spread is the accuracies' own and goes last; the lead only where it still fits beside it.
        spread = HasSpread(results) && Layout(Cells(results, spread: true, lead: false), width, notes).Fits;
        lead = HasLead(results) && Layout(Cells(results, spread, lead: true), width, notes).Fits;
        var cells = Cells(results, spread, lead);
        var (headers, methodWidth, _) = Layout(cells, width, notes);
        notesBelow = notes && width - Fixed(headers, cells, methodWidth) - 2 < NoteRoom;
        bool noteColumn = notes && !notesBelow;   // no empty column where no row has a note

        var table = new Table().Border(TableBorder.Simple);
        for (int i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(headers[i]).NoWrap();
            table.AddColumn(i >= 2 ? column.RightAligned() : column);
        }
        if (noteColumn) table.AddColumn("note");
        foreach (var (row, text) in results.Rows.Zip(cells))
        {
            var shown = text.Select((t, i) => Markup.Escape(i == 0 ? TableFit.Crop(t, methodWidth) : t));
            table.AddRow(noteColumn ? [.. shown, Markup.Escape(row.Note ?? "")] : [.. shown]);
        }
        return table;
    }

    /// <summary>Each row's method, optimizer, learning rate (with the grid-edge <c>*</c>), accuracies, lead over the
    /// runner-up (with <paramref name="lead"/>) and cells finished, as the table and <see cref="ResultsMarkdown"/> write them.</summary>
    internal static List<string[]> Cells(SweepResults results, bool spread, bool lead) => results.Rows.Select(row =>
    {
        string[] cells =
        [
            row.Method, row.Optimizer, LrCell(row),
            spread ? WithSpread(row.TrainAccuracy, row.TrainAccuracyStd) : Percent(row.TrainAccuracy),
            spread ? WithSpread(row.TestAccuracy, row.TestAccuracyStd) : Percent(row.TestAccuracy),
            $"{row.CellsFinished}/{row.CellsTotal}",
        ];
        return lead ? [.. cells[..LeadColumn], LeadCell(row), .. cells[LeadColumn..]] : cells;
    }).ToList();

    /// <summary>The headers of <paramref name="columns"/> columns: with the lead column or without it.</summary>
    private static string[] Headers(string[] all, int columns) =>
        columns == all.Length ? all : [.. all[..LeadColumn], .. all[(LeadColumn + 1)..]];

    /// <summary>Headers and method width for <paramref name="width"/> columns, and whether the fixed columns then fit
    /// (the notes can still go below the table).</summary>
    private static (string[] Headers, int MethodWidth, bool Fits) Layout(List<string[]> cells, int width, bool notes)
    {
        int noteRoom = notes ? NoteRoom + 2 : 0;
        var columns = cells.Count > 0 ? cells[0].Length : LongHeaders.Length - 1;
        var (longHeaders, shortHeaders) = (Headers(LongHeaders, columns), Headers(ShortHeaders, columns));
        var headers = Fixed(longHeaders, cells, int.MaxValue) + noteRoom <= width ? longHeaders : shortHeaders;
        int methodWidth = TableFit.MethodWidth(cells.Select(c => c[0]).ToList(), headers[0], Fixed(headers, cells, int.MaxValue) + noteRoom - width);
        // Notes can go below the table: the fixed columns alone must fit.
        return (headers, methodWidth, Fixed(headers, cells, methodWidth) <= width);
    }

    /// <summary>Width of the fixed columns with the border's edges (and the note column's left one).</summary>
    private static int Fixed(string[] headers, List<string[]> cells, int methodWidth) =>
        headers.Length + 2 + TableFit.ColumnsWidth(headers, cells, headers.Length, methodWidth);

    /// <summary>A row's best learning rate, marked <c>*</c> at the grid's edge; "-" when it has none (or there is no row).</summary>
    public static string LrCell(ResultRow? row) =>
        row?.BestLearningRate is { } lr ? Lr(lr) + (row.AtGridEdge ? " *" : "") : "-";

    /// <summary>A learning rate as every view writes it (<see cref="LearningRateText"/>).</summary>
    public static string Lr(double lr) => LearningRateText.Of(lr);

    /// <summary>"73.95%", or with several seeds "73.95% ±0.41": the spread in percentage points (no space after ±, so an
    /// 80-column terminal keeps it for the study grid).</summary>
    public static string WithSpread(double? mean, double? std) =>
        Percent(mean) + (std is { } s && mean is not null ? " ±" + InPoints(s) : "");

    public static string Percent(double? value) => value is { } v ? InPoints(v) + "%" : "-";

    /// <summary>"0.87": a fraction of accuracy in percentage points, as every figure of the tables reads (a spread, a lead).</summary>
    public static string InPoints(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture);
}
