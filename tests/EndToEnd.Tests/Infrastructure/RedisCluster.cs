namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>One cluster clustered and stored through a redis-server: the arguments its silo processes and its
/// command-line clients share.</summary>
public sealed record RedisCluster(string Redis, string ClusterId)
{
    public static RedisCluster On(RedisServer redis) => new(redis.ConnectionString, "e2e-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A silo's arguments, before its slots (<c>--gpus</c> ...).</summary>
    public string[] SiloArgs(string checkpointDirectory) =>
    [
        "--clustering", "redis", "--storage", "redis", "--redis", Redis, "--advertised-ip", "127.0.0.1",
        "--cluster-id", ClusterId, "--service-id", ClusterId, "--checkpoint-dir", checkpointDirectory,
    ];

    /// <summary>A silo's arguments with <paramref name="gpus"/> simulated GPUs (the no-CUDA stand-in for a GPU node).</summary>
    public string[] GpuSiloArgs(string checkpointDirectory, int gpus) =>
        [.. SiloArgs(checkpointDirectory), "--gpus", gpus.ToString(System.Globalization.CultureInfo.InvariantCulture), "--GradGuess:SimulateGpus=true"];

    /// <summary>What <c>gradguess submit/watch/export</c> need to reach the cluster.</summary>
    public string[] ClientArgs => ["--redis", Redis, "--cluster-id", ClusterId, "--service-id", ClusterId];
}
