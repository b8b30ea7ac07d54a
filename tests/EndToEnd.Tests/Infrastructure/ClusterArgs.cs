using System.Globalization;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>One cluster clustered and stored through a real store (<c>redis</c> or <c>postgres</c>): the arguments its
/// silo processes and its command-line clients share.</summary>
public sealed record ClusterArgs(string Kind, string Connection, string ClusterId)
{
    public static ClusterArgs Redis(RedisServer redis) => new("redis", redis.ConnectionString, NewClusterId());

    public static string NewClusterId() => "e2e-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A silo's arguments, before its slots (<c>--gpus</c> ...); it listens on <paramref name="address"/>, a
    /// loopback one (any of 127.0.0.0/8).</summary>
    public string[] SiloArgs(string checkpointDirectory, string address = "127.0.0.1") =>
    [
        "--clustering", Kind, "--storage", Kind, $"--{Kind}", Connection, "--advertised-ip", address,
        "--cluster-id", ClusterId, "--service-id", ClusterId, "--checkpoint-dir", checkpointDirectory,
    ];

    /// <summary>A silo's arguments with <paramref name="gpus"/> simulated GPUs (the no-CUDA stand-in for a GPU node).</summary>
    public string[] GpuSiloArgs(string checkpointDirectory, int gpus) =>
        [.. SiloArgs(checkpointDirectory), "--gpus", gpus.ToString(CultureInfo.InvariantCulture), "--GradGuess:SimulateGpus=true"];

    /// <summary>What <c>gradguess</c> verbs need to reach the cluster: Redis-clustered clients find the gateways in Redis,
    /// PostgreSQL-clustered ones are given <paramref name="gateway"/>.</summary>
    public string[] ClientArgs(string? gateway = null) => Kind == "redis"
        ? ["--redis", Connection, "--cluster-id", ClusterId, "--service-id", ClusterId]
        : ["--gateway", gateway ?? throw new ArgumentNullException(nameof(gateway)), "--cluster-id", ClusterId, "--service-id", ClusterId];
}
