using System.Globalization;
using System.Text;

namespace GradGuessCluster.Client.Export;

/// <summary>CSV (RFC 4180, invariant culture, round-trip numbers; empty field = no value) of long-format rows.</summary>
public static class CsvCurveWriter
{
    public static readonly string[] Columns =
        ["sweep", "cellId", "method", "optimizer", "lr", "seed", "epoch", "trainAccuracy", "testAccuracy", "trainLoss", "cosineSimilarity", "seconds", "status"];

    public static void Write(TextWriter writer, IEnumerable<CurveRow> rows)
    {
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        var line = new StringBuilder();
        foreach (var r in rows)
        {
            line.Clear();
            line.Append(Text(r.Sweep)).Append(',').Append(Text(r.CellId)).Append(',').Append(Text(r.Method)).Append(',')
                .Append(Text(r.Optimizer)).Append(',').Append(Number(r.Lr)).Append(',').Append(r.Seed.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(r.TrainAccuracy))
                .Append(',').Append(Number(r.TestAccuracy)).Append(',').Append(Number(r.TrainLoss)).Append(',')
                .Append(Number(r.CosineSimilarity)).Append(',').Append(Number(r.Seconds)).Append(',').Append(Text(r.Status));
            writer.Write(line);
            writer.Write('\n');
        }
    }

    private static string Number(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Text(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
