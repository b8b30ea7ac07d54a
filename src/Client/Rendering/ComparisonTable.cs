using System.Globalization;
using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;
using Spectre.Console;

namespace GradGuessCluster.Client.Rendering;

/// <summary><c>gradguess compare</c>'s table: per method × optimizer, each sweep's best learning rate and its accuracy
/// on the selection metric, their difference, and the other metric's difference where the terminal has room.</summary>
internal static class ComparisonTable
{
    public static void Render(SweepComparison comparison, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        foreach (var line in Heading(comparison)) console.WriteLine(line);
        console.Write(Build(comparison, console.Profile.Width));
        foreach (var r in comparison.Rows)
        {
            var notes = new[] { ("A", r.A?.Note), ("B", r.B?.Note) }.Where(n => !string.IsNullOrEmpty(n.Item2)).Select(n => $"{n.Item1}: {n.Item2}")
                .Concat(LearningRatesDiffer(r) is { } moved ? [moved] : []);
            if (notes.Any()) console.WriteLine($"  {r.Method} {r.Optimizer}: {string.Join("; ", notes)}");
        }
        foreach (var line in Footnotes(comparison)) console.WriteLine(line);
    }

    /// <summary>Which sweep is A and which B, the rule, how their specs differ, and whether their data do.</summary>
    /// <param name="what">The second line, what the table holds (by default each row's best learning rate).</param>
    public static IEnumerable<string> Heading(SweepComparison c, string? what = null)
    {
        yield return $"A = {c.A.Name} ({c.A.State.Name()}), B = {c.B.Name} ({c.B.State.Name()}); Δ = B − A, in points";
        yield return what ?? $"best learning rate per method × optimizer by {ResultsTable.Rule(c.Selection)}, mean over seeds";
        yield return SpecsLine(c);
        if (c.DataDiffer)
            yield return $"the data differ: A trained on {c.DataA!.Source} (digest {c.DataA.Digest}), B on {c.DataB!.Source} (digest {c.DataB.Digest})";
        else if (c.DataA is { } same && c.DataB is not null)
            yield return $"both trained on the same data (digest {same.Digest})";
        if (c.Identical) yield return "every best learning rate and accuracy is the same in both, to the last digit";
        else if (Agreement(c) is { } agreement) yield return agreement;
    }

    /// <summary>"the best learning rate is the same in 11 of 18 rows (7 differ)": whether a confirmation's
    /// picks held, or an ablation moved them; rows only one sweep picks in do not count. Null where none has both.</summary>
    private static string? Agreement(SweepComparison c)
    {
        var both = c.Rows.Where(r => r.A?.BestLearningRate is not null && r.B?.BestLearningRate is not null).ToList();
        if (both.Count == 0) return null;
        int same = both.Count(r => r.A!.BestLearningRate == r.B!.BestLearningRate);
        return $"the best learning rate is the same in {same} of {Units.Count(both.Count, "row")}" +
               (same < both.Count ? $" ({both.Count - same} {(both.Count - same == 1 ? "differs" : "differ")})" : "");
    }

    public static IEnumerable<string> Footnotes(SweepComparison c)
    {
        if (c.Rows.Any(r => r.WithinSpread))
            yield return "≈ within the seeds' spread √(s_A² + s_B²): other seeds could reverse it";
        if (c.Rows.Any(r => r.A?.AtGridEdge == true || r.B?.AtGridEdge == true))
            yield return "* at the edge of its grid: the best learning rate may lie outside it";
    }

    /// <summary>The table for a terminal <paramref name="width"/> characters wide: the other metric's Δ goes first,
    /// then method names are cut (never so short that two read alike).</summary>
    public static Table Build(SweepComparison c, int width)
    {
        var cells = Cells(c);
        var headers = Headers(c.Selection.Metric);
        int columns = headers.Length;
        if (Fixed(headers, cells, columns, int.MaxValue) > width) columns--;                 // drop the other metric's Δ
        int methodWidth = TableFit.MethodWidth(cells.Select(r => r[0]).ToList(), headers[0], Fixed(headers, cells, columns, int.MaxValue) - width);

        var table = new Table().Border(TableBorder.Simple);
        for (int i = 0; i < columns; i++)
        {
            var column = new TableColumn(headers[i]).NoWrap();
            table.AddColumn(i >= 2 ? column.RightAligned() : column);
        }
        foreach (var row in cells)
            table.AddRow(row.Take(columns).Select((t, i) => Markup.Escape(i == 0 ? TableFit.Crop(t, methodWidth) : t)).ToArray());
        return table;
    }

    private static string[] Headers(SelectionMetric metric)
    {
        var (main, other) = ComparedMetric.Names(metric);
        return ["method", "optimizer", "lr A", "lr B", $"{main} A", $"{main} B", $"Δ {main}", $"Δ {other}"];
    }

    /// <summary>Per row: method, optimizer, both learning rates, the selection metric's accuracies and Δ, the other Δ.</summary>
    internal static List<string[]> Cells(SweepComparison c) => c.Rows.Select(r =>
    {
        var metric = c.Selection.Metric;
        var other = ComparedMetric.IsTrain(metric) ? SelectionMetric.TestAccuracy : SelectionMetric.TrainAccuracy;
        return new[]
        {
            r.Method, r.Optimizer, ResultsTable.LrCell(r.A), ResultsTable.LrCell(r.B),
            ResultsTable.Percent(ComparedMetric.Accuracy(r.A, metric)), ResultsTable.Percent(ComparedMetric.Accuracy(r.B, metric)),
            Points(r.Delta(metric)) + (r.WithinSpread ? " ≈" : ""), Points(r.Delta(other)),
        };
    }).ToList();

    /// <summary>Where the two sweeps chose different learning rates, how clearly each chose: "the best learning rates differ:
    /// A's 1e-3 led 1e-2 by 6.75 points, B's 1e-2 led 1e-3 by 2.10" (a lead of hundredths is a near-tie, not a move).</summary>
    public static string? LearningRatesDiffer(ComparedRow r)
    {
        if (r.A?.BestLearningRate is not { } a || r.B?.BestLearningRate is not { } b || a == b) return null;
        static string Led(ResultRow row) => row is { Lead: { } lead, RunnerUpLearningRate: { } next }
            ? $"led {ResultsTable.Lr(next)} by {ResultsTable.InPoints(lead)}"
            : "had no other learning rate to beat";
        return $"the best learning rates differ: A's {ResultsTable.Lr(a)} {Led(r.A)}, B's {ResultsTable.Lr(b)} {Led(r.B)} (points of the selection metric)";
    }

    /// <summary>How the specs differ: "the specs are the same", "the specs differ in: epochs 1 → 3", or, where they list
    /// the same cells' learning rates otherwise (<see cref="SweepComparison.Relisted"/>), that too.</summary>
    private static string SpecsLine(SweepComparison c)
    {
        const string Fields = "(learningRates and rowRates)";
        return (c.Differences.Count, c.SameName, c.Relisted) switch
        {
            (0, true, false) => "the specs are the same",
            (0, false, false) => "the specs differ only in their names",
            (0, true, true) => $"the specs hold the same cells, listing their learning rates otherwise {Fields}",
            (0, false, true) => $"the specs differ only in their names and in how they list the same learning rates {Fields}",
            _ => "the specs differ in: " + string.Join(", ", Differences(c.Differences)) +
                 (c.Relisted ? $"; the learning rates are the same, listed otherwise {Fields}" : ""),
        };
    }

    /// <summary>"+1.23", "-0.40", "0.00": a difference of accuracies in percentage points.</summary>
    public static string Points(double? delta) => delta is { } d
        ? (100 * d).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>Each difference as <see cref="Difference"/> says it, but the rows' own rates named for a few rows only:
    /// a confirmation or a refined grid differs from its sweep in every row's (18 lines of the study's grid), said as
    /// "rowRates of 18 rows (directional × adamw 1e-1,2e-3,5e-3 → 2e-3, ...)". <c>--json</c> has each.</summary>
    private static IEnumerable<string> Differences(IReadOnlyList<SpecDifference> differences)
    {
        var rows = differences.Where(d => SpecCanonical.IsRowRatesField(d.Field)).ToList();
        if (rows.Count <= GrowthText.MaxRowsNamed) return differences.Select(Difference);
        var first = rows.FirstOrDefault(d => d.A is not null && d.B is not null) ?? rows[0];   // a row both train, where there is one
        var (a, b) = DifferingValues.Shorten(first.Shown(first.A), first.Shown(first.B));
        return differences.Where(d => !rows.Contains(d)).Select(Difference).Append($"rowRates of {rows.Count} rows ({SpecCanonical.RowOf(first.Field)} {a} → {b}, ...)");
    }

    /// <summary>"field A → B", long values (a list of learning rates) cut around where they differ.</summary>
    private static string Difference(SpecDifference d)
    {
        var (a, b) = DifferingValues.Shorten(d.Shown(d.A), d.Shown(d.B));
        return $"{d.Field} {a} → {b}";
    }

    /// <summary>Width of the first <paramref name="columns"/> columns with the border's edges.</summary>
    private static int Fixed(string[] headers, List<string[]> cells, int columns, int methodWidth) =>
        columns + 1 + TableFit.ColumnsWidth(headers, cells, columns, methodWidth);
}
