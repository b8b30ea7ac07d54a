using System.Text.Json;
using System.Text.Json.Serialization;

namespace GradGuessCluster.Client.Rendering;

/// <summary>Objects as JSON on stdout (<c>--json</c>): camelCase, enums as lower-case strings, NaN/∞ as strings.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write<T>(T value) => Output.Line(JsonSerializer.Serialize(value, Options));
}
