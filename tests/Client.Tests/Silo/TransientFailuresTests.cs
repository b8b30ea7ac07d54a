using System.Net.Sockets;
using GradGuessCluster.Silo.Hosting;
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
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTransient_RetriesOnlyWhatARetryCanFix(Exception failure, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(failure));
}
