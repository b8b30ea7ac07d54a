using System.Net.Sockets;
using Npgsql;
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
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        // File storage and checkpoints: a busy or briefly unavailable shared volume, not a missing path.
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException => false,
        IOException => true,
        AggregateException { InnerExceptions.Count: 1 } a => IsTransient(a.InnerExceptions[0]),
        _ => false,
    };
}
