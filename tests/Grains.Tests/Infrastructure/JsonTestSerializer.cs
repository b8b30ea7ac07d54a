using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>A storage serializer for unit tests of the stores outside a silo (cluster tests use the silo's own).</summary>
public sealed class JsonTestSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)!;
}
