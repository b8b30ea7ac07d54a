using GradGuessCluster.Silo.Hosting;
using StackExchange.Redis;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A checked <c>--redis</c> value (<see cref="RedisConnectionString"/>) and its endpoints as the user wrote them,
/// for messages (never the whole string: it may hold a password).</summary>
/// <param name="Source">Where the value came from (<c>--redis</c>, or the variable), for refusals after parsing.</param>
internal sealed record RedisAddress(ConfigurationOptions Options, string EndPoints, string Source)
{
    /// <summary>Refuses, with <see cref="UsageException"/> naming <paramref name="source"/>, what StackExchange.Redis
    /// would otherwise take for a host to keep dialling ("foo bar", "h:notaport") or reject only when connecting.</summary>
    public static RedisAddress Parse(string text, string source)
    {
        var (options, endpoints, problem) = RedisConnectionString.Check(text);
        if (problem is not null) throw new UsageException($"{source}: {problem}");
        return new RedisAddress(options!, endpoints, source);
    }
}
