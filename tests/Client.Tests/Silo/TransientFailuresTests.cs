using System.Net.Sockets;
using GradGuessCluster.Silo.Hosting;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>What the storage retry pipeline retries: lost connections and a busy volume, never an ETag conflict (a
/// retry cannot fix it) and never a missing path (a misconfiguration).</summary>
public class TransientFailuresTests
{
    public static TheoryData<Exception, bool> Cases => new()
    {
        { new InconsistentStateException("stale etag", "a", "b"), false },
        { new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"), true },
        { new RedisTimeoutException("slow", CommandStatus.Sent), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new TimeoutException(), true },
        { new IOException("volume busy"), true },
        { new FileNotFoundException("gone"), false },
        { new DirectoryNotFoundException("no such dir"), false },
        { new AggregateException(new IOException("busy")), true },
        { new AggregateException(new IOException("a"), new IOException("b")), false },
        { new InvalidOperationException("a bug"), false },
        // The file store wraps its causes to name the state file: a bare IOException never reached this before.
        { new GradGuessCluster.Grains.Storage.FileGrainStorageException("cannot write state file f: busy", new IOException("busy")), true },
        { new GradGuessCluster.Grains.Storage.FileGrainStorageException("cannot read state file f", new DirectoryNotFoundException("gone")), false },
        { new GradGuessCluster.Grains.Storage.FileGrainStorageException("cannot write state file f", new UnauthorizedAccessException()), false },
        // Orleans' Redis storage keeps only its cause's type and message (Orleans.Persistence.RedisGrainStorage).
        { Redis("StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation"), true },
        { Redis("StackExchange.Redis.RedisTimeoutException: Timeout awaiting response"), true },
        { Redis("StackExchange.Redis.RedisServerException: LOADING Redis is loading the dataset in memory"), true },
        { Redis("StackExchange.Redis.RedisServerException: NOPERM this user has no permissions"), false },
        { Redis("Newtonsoft.Json.JsonReaderException: Unexpected end while parsing"), false },
    };

    private static RedisStorageException Redis(string cause) =>
        new($"Failed to write grain state for pack grain with ID gg-training/s/p and storage key c/state/gg-training/s/p/pack. {cause}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTransient_RetriesOnlyWhatARetryCanFix(Exception failure, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(failure));
}
