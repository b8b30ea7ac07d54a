using System.Net.Sockets;
using Npgsql;
using Orleans.Persistence.Redis;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Silo.Storage;
using Orleans.Storage;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>Which failures are worth a retry: lost connections and busy servers, never bad data or ETag conflicts.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception e) => e switch
    {
        InconsistentStateException => false,
        RedisConnectionException or RedisTimeoutException => true,
        // Orleans' Redis storage wraps every failure, keeping only the cause's type and message in its own ("... storage
        // key K. StackExchange.Redis.RedisConnectionException: ..."): without this no Redis state read or write was retried.
        RedisStorageException r => WrappedCause.In(r.Message) is { } cause && IsTransientRedisCause(cause),
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        // File storage: a busy or briefly unavailable volume, not a missing path. The file store names its file around
        // the cause, which decides.
        FileGrainStorageException { InnerException: { } cause } => IsTransient(cause),
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException => false,
        IOException => true,
        AggregateException { InnerExceptions.Count: 1 } a => IsTransient(a.InnerExceptions[0]),
        _ => false,
    };

    /// <summary>A lost or slow connection, or a restarted server still loading its data set from disk.</summary>
    private static bool IsTransientRedisCause(WrappedCause cause) => cause.Type switch
    {
        "StackExchange.Redis.RedisConnectionException" or "StackExchange.Redis.RedisTimeoutException" or "System.TimeoutException" => true,
        "StackExchange.Redis.RedisServerException" => cause.Message.StartsWith("LOADING", StringComparison.Ordinal),
        _ => false,
    };
}
