using System.Text.RegularExpressions;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Silo.Storage;

/// <summary>The failure inside an exception that keeps it only as text. Orleans' Redis storage wraps every exception in
/// a RedisStorageException without an inner exception, its message ending "... storage key K. {type}: {message}";
/// <see cref="Where"/> is the provider's own sentence before it (which names the key).</summary>
internal sealed partial record WrappedCause(string Where, string Type, string Message)
{
    public static WrappedCause? In(string message) =>
        Pattern().Match(Failures.OneLine(message)) is { Success: true } m
            ? new WrappedCause(m.Groups["where"].Value, m.Groups["type"].Value, m.Groups["message"].Value)
            : null;

    /// <summary>Orleans' storage serializer is Newtonsoft.Json; System.Text.Json too, for a configured one.</summary>
    public bool IsDeserializer => Type.StartsWith("Newtonsoft.Json.Json", StringComparison.Ordinal) || Type == "System.Text.Json.JsonException";

    [GeneratedRegex(@"^(?<where>.*?)\. (?<type>[A-Za-z_][\w.]*Exception): (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
