using System.Text.Json;
using System.Text.Json.Serialization;

namespace GradGuessCluster.Client.Rendering;

/// <summary>Objects as JSON on stdout (<c>--json</c>): camelCase, enums as lower-case strings, NaN/∞ as null (like the
/// export: JSON has no NaN).</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new FiniteOrNull() },
    };

    public static void Write<T>(T value) => Output.Line(Serialize(value));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A double as a number when finite, else null (a diverged cell's loss); System.Text.Json uses it for
    /// <c>double?</c> and <c>double[]</c> too.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
