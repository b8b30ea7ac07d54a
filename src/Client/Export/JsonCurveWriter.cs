using System.Text.Json;

namespace GradGuessCluster.Client.Export;

/// <summary>JSON export: an array of long-format row objects (camelCase fields, null where an epoch has no value).
/// NaN and infinite numbers (a diverged cell's loss) are written as null (JSON has no NaN); per-layer lists are arrays.</summary>
public static class JsonCurveWriter
{
    public static void Write(Stream stream, IEnumerable<CurveRow> rows)
    {
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })) WriteArray(json, rows);
        stream.WriteByte((byte)'\n');   // a text file's last line ends, as the CSV's does
    }

    private static void WriteArray(Utf8JsonWriter json, IEnumerable<CurveRow> rows)
    {
        json.WriteStartArray();
        foreach (var r in rows)
        {
            json.WriteStartObject();
            json.WriteString("sweep", r.Sweep);
            json.WriteString("cellId", r.CellId);
            json.WriteString("method", r.Method);
            json.WriteString("optimizer", r.Optimizer);
            Number(json, "lr", r.Lr);
            json.WriteNumber("seed", r.Seed);
            json.WriteNumber("epoch", r.Epoch);
            Number(json, "trainAccuracy", r.TrainAccuracy);
            Number(json, "testAccuracy", r.TestAccuracy);
            Number(json, "trainLoss", r.TrainLoss);
            Number(json, "cosineSimilarity", r.CosineSimilarity);
            Number(json, "seconds", r.Seconds);
            json.WriteString("status", r.Status);
            List(json, "effectiveRank", r.EffectiveRank);
            List(json, "layerCosineSimilarity", r.LayerCosine);
            Number(json, "gradientProjection", r.GradientProjection);
            Number(json, "updateNormRatio", r.UpdateNormRatio);
            Number(json, "stepCosine", r.StepCosine);
            List(json, "layerStepCosine", r.LayerStepCosine);
            List(json, "layerGradientShare", r.LayerGradientShare);
            List(json, "layerUpdateShare", r.LayerUpdateShare);
            List(json, "layerStepShare", r.LayerStepShare);
            json.WriteEndObject();
            // A writer over a stream holds everything until flushed, and its buffer stops growing at 2 GB: a large sweep's
            // export (millions of rows) would fail with nothing written, where the CSV streams.
            if (json.BytesPending >= FlushBytes) json.Flush();
        }
        json.WriteEndArray();
    }

    private const int FlushBytes = 1 << 16;

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static void List(Utf8JsonWriter json, string name, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartArray(name);
        foreach (var v in values)
            if (double.IsFinite(v)) json.WriteNumberValue(v); else json.WriteNullValue();
        json.WriteEndArray();
    }
}
