using System.Globalization;

namespace GradGuessCluster.Client.Export;

/// <summary>
/// CSV of long-format rows: LF line ends (not RFC 4180's CRLF), otherwise RFC 4180 quoting; invariant culture and
/// round-trip numbers. An empty field is no value, a non-finite number included (the row's status says when a cell
/// diverged). Per-layer lists are ';'-joined in one field. Columns added later come last, so that earlier ones keep their
/// places.
/// </summary>
public static class CsvCurveWriter
{
    public static readonly string[] Columns =
    [
        "sweep", "cellId", "method", "optimizer", "lr", "seed", "epoch", "trainAccuracy", "testAccuracy", "trainLoss",
        "cosineSimilarity", "seconds", "status", "effectiveRank", "layerCosineSimilarity", "gradientProjection", "updateNormRatio",
        "stepCosine", "layerStepCosine", "layerGradientShare", "layerUpdateShare", "layerStepShare",
    ];

    public static void Write(TextWriter writer, IEnumerable<CurveRow> rows)
    {
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        foreach (var r in rows)
        {
            string[] fields =
            [
                Text(r.Sweep), Text(r.CellId), Text(r.Method), Text(r.Optimizer), Number(r.Lr), Integer(r.Seed), Integer(r.Epoch),
                Number(r.TrainAccuracy), Number(r.TestAccuracy), Number(r.TrainLoss), Number(r.CosineSimilarity), Number(r.Seconds),
                Text(r.Status), List(r.EffectiveRank), List(r.LayerCosine), Number(r.GradientProjection), Number(r.UpdateNormRatio),
                Number(r.StepCosine), List(r.LayerStepCosine), List(r.LayerGradientShare), List(r.LayerUpdateShare), List(r.LayerStepShare),
            ];
            writer.Write(string.Join(',', fields));
            writer.Write('\n');
        }
    }

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Positional (an empty entry keeps its layer's place), but empty when no layer has a value (a diverged
    /// epoch): ";;" would read as data.</summary>
    private static string List(IReadOnlyList<double>? values) =>
        values is null || !values.Any(double.IsFinite) ? "" : string.Join(';', values.Select(v => Number(v)));

    private static string Text(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
