using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary>
/// The live progress table, fitted to the terminal: when the full table is too wide it gives up, in order, columns that
/// say the same on every row (seed, where), the loss, the bar's length, the bar, the running packs' time left, where,
/// long headers, padding, seed and the test accuracy, until it fits. Cells never wrap, so a method name is never broken inside a word (an
/// 80-column terminal shows the study's longest names whole); narrower than that, the names are cut with an ellipsis.
/// </summary>
internal static class ProgressTable
{
    private const int LongBar = 16, ShortBar = 8;

    private sealed record Column(string Header, Func<CellStatus, string> Text, bool Right = false, Func<string, string>? Markup = null);

    /// <summary>What a layout keeps; each step of <see cref="Layouts"/> takes one more thing away.</summary>
    private sealed record Layout(bool Seed = true, bool Where = true, bool Loss = true, int Bar = LongBar, bool Left = true, bool LongHeaders = true,
        int Padding = 1, bool Test = true, int MethodWidth = int.MaxValue);

    /// <summary>The cells in <see cref="ReadingOrder"/>.</summary>
    public static Table Build(IReadOnlyList<CellStatus> cells, int width)
    {
        cells = ReadingOrder.Of(cells);
        var layout = Pick(cells, width);
        var table = new Table().Border(TableBorder.Simple);
        var columns = Columns(layout);
        foreach (var c in columns)
        {
            var column = new TableColumn(c.Header).NoWrap().Padding(layout.Padding, 0, layout.Padding, 0);
            table.AddColumn(c.Right ? column.RightAligned() : column);
        }
        foreach (var cell in cells)
            table.AddRow(columns.Select(c => c.Markup is { } m ? m(c.Text(cell)) : Markup.Escape(c.Text(cell))).ToArray());
        return table;
    }

    private static Layout Pick(IReadOnlyList<CellStatus> cells, int width)
    {
        var layouts = Layouts(cells).ToList();
        if (layouts.FirstOrDefault(l => Width(l, cells) <= width) is { } fits) return fits;
        // Narrower than any layout: the method names are cut short with an ellipsis, so each cell keeps one line (but
        // never so short that two methods read alike).
        var last = layouts[^1];
        return last with { MethodWidth = TableFit.MethodWidth(cells.Select(c => c.Config.Method).ToList(), "method", Width(last, cells) - width) };
    }

    /// <summary>The width a layout takes: each column's widest text and its padding, and the border's edges and
    /// separators (one character each in the simple border).</summary>
    private static int Width(Layout layout, IReadOnlyList<CellStatus> cells)
    {
        var columns = Columns(layout);
        return columns.Count + 1 + columns.Sum(c => cells.Select(cell => c.Text(cell).Length).Append(c.Header.Length).Max() + 2 * layout.Padding);
    }

    private static IEnumerable<Layout> Layouts(IReadOnlyList<CellStatus> cells)
    {
        bool oneSeed = cells.Select(c => c.Config.Seed).Distinct().Count() <= 1;
        bool oneWhere = cells.Select(WhereText).Where(w => w.Length > 0).Distinct().Count() <= 1;   // the cells not running say nothing
        // Nothing running: no silos to show; no pack paced yet: no time left.
        var l = new Layout(Where: cells.Any(c => WhereText(c).Length > 0), Left: cells.Any(c => c.SecondsLeft is not null));
        yield return l;
        if (oneSeed) yield return l = l with { Seed = false };
        if (oneWhere) yield return l = l with { Where = false };
        yield return l = l with { Loss = false };
        yield return l = l with { Bar = ShortBar };
        yield return l = l with { Bar = 0 };
        yield return l = l with { Left = false };
        yield return l = l with { Where = false };
        // Seeds that differ tell otherwise identical rows apart: shorter headers and no padding go before them.
        yield return l = l with { LongHeaders = false };
        yield return l = l with { Padding = 0 };
        yield return l = l with { Seed = false };
        yield return l with { Test = false };
    }

    private static List<Column> Columns(Layout l)
    {
        var columns = new List<Column>
        {
            new("method", c => TableFit.Crop(c.Config.Method, l.MethodWidth)),
            new(l.LongHeaders ? "optimizer" : "opt", c => c.Config.Optimizer),
            new("lr", c => ResultsTable.Lr(c.Config.LearningRate), Right: true),
        };
        if (l.Seed) columns.Add(new("seed", c => c.Config.Seed.ToString(CultureInfo.InvariantCulture), Right: true));
        columns.Add(new("state", c => c.State.Name(), Markup: StateMarkup));
        columns.Add(new("epochs", c => Bar(c, l.Bar)));
        if (l.Left) columns.Add(new("time left", c => c.SecondsLeft is { } s ? TimeLeft.Duration(s) : ""));
        columns.Add(new(l.LongHeaders ? "train acc" : "train", c => ResultsTable.Percent(c.TrainAccuracy), Right: true));
        if (l.Test) columns.Add(new(l.LongHeaders ? "test acc" : "test", c => ResultsTable.Percent(c.TestAccuracy), Right: true));
        if (l.Loss) columns.Add(new("loss", c => c.TrainLoss is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) : "-", Right: true));
        if (l.Where) columns.Add(new("where", WhereText));
        return columns;
    }

    /// <summary>The silo and device a running cell trains on.</summary>
    private static string WhereText(CellStatus c) => $"{c.Silo} {c.Device}".Trim();

    private static string StateMarkup(string state) => state switch
    {
        "running" => "[blue]running[/]",
        "completed" => "[green]completed[/]",
        "diverged" => "[yellow]diverged[/]",
        "failed" => "[red]failed[/]",
        _ => $"[grey]{Markup.Escape(state)}[/]",
    };

    private static string Bar(CellStatus c, int width)
    {
        var count = $"{c.Epoch}/{c.Epochs}";
        if (width == 0) return count;
        var filled = c.Epochs == 0 ? width : (int)Math.Round(width * (double)Math.Min(c.Epoch, c.Epochs) / c.Epochs);
        return $"{new string('█', filled)}{new string('░', width - filled)} {count}";
    }
}
