using System.Globalization;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Training.Inspection;
using Spectre.Console;

namespace GradGuessCluster.Client.Inspection;

/// <summary><c>inspect</c>'s terminal output: a line for the pack, then per cell a line and a table with a row per layer.</summary>
internal static class AnatomyTable
{
    public static void Render(InspectedPack pack, IAnsiConsole? console = null)
    {
        console ??= CliConsole.Out;
        var init = pack.InitScale is { } s ? $", initial weights × {s.ToString("R", CultureInfo.InvariantCulture)},"
            : pack.InitDigest is { } d ? $", started from a weights file (digest {d}),"
            : "";
        var options = pack.GuessOptions.Count > 0 ? $" ({string.Join(", ", pack.GuessOptions)})" : "";
        console.WriteLine($"{pack.Checkpoint}: {pack.Method}{options} on {pack.Data}{init} after epoch {pack.Epoch}, measured on its " +
                          $"{pack.Examples.ToString("N0", CultureInfo.InvariantCulture)} training examples");
        foreach (var cell in pack.Cells)
        {
            var a = cell.Anatomy;
            var scale = (cell.OutputLrScale is { } k ? $" (output layer × {k.ToString("R", CultureInfo.InvariantCulture)})" : "") +
                        (cell.Schedule is { } schedule ? $" ({schedule})" : "");
            console.WriteLine($"cell {cell.Cell}: {cell.Optimizer} lr {LearningRateText.Of(cell.LearningRate)}{scale} seed {cell.Seed}: " +
                              (cell.DivergedIn is { } epoch ? $"diverged in epoch {epoch}, its weights are not finite"
                                  : $"train loss {a.Loss.ToString("F4", CultureInfo.InvariantCulture)}, accuracy {ResultsTable.Percent(a.Accuracy)}"));
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn(new TableColumn("layer").NoWrap());
            foreach (var header in Headers(a.Directions)) table.AddColumn(new TableColumn(header).RightAligned());
            foreach (var l in a.Layers) table.AddRow(Row(l).Select(Markup.Escape).ToArray());
            console.Write(table);
        }
        foreach (var line in Legend) console.WriteLine(line);
    }

    private static readonly string[] Legend =
    [
        "in top k: the fraction of ||W||^2 along the top k principal directions of the layer's inputs (about k/n for weights that ignore them)",
        "open: open ReLUs over (example, unit); dead: units that no example opens",
        "backward rms: per-example ||dloss/ds|| at the layer's output; gradient: the layer's share of the true gradient's squared norm",
    ];

    private static string[] Headers(int directions) =>
        ["||W||", "sigma1", "stable rank", "eff. rank", "input rms", $"in top {directions}", "open", "dead", "backward rms", "gradient"];

    private static IEnumerable<string> Row(LayerAnatomy l) =>
    [
        $"{l.Layer} ({l.Inputs}→{l.Outputs})", Size(l.WeightNorm), Size(l.SpectralNorm), Size(l.StableRank), Size(l.EffectiveRank),
        Size(l.InputRms), l.InputTopShare is { } top ? Fraction(top) : "–", l.ActiveFraction is { } open ? Fraction(open) : "–",
        l.DeadUnits?.ToString(CultureInfo.InvariantCulture) ?? "–", l.BackwardRms.ToString("G3", CultureInfo.InvariantCulture),
        Fraction(l.GradientShare),
    ];

    private static string Size(double v) => !double.IsFinite(v) ? "–"
        : v.ToString(Math.Abs(v) >= 100 ? "F0" : Math.Abs(v) >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    private static string Fraction(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "–";
}
