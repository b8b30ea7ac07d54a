using GradGuessCluster.Grains.Interfaces;
using StackExchange.Redis;

namespace GradGuessCluster.Client.Cluster;

/// <summary>
/// Checks, before the Orleans client starts, that the cluster the user named is registered in Redis. Orleans' Redis
/// gateway list provider creates the membership hash it reads (<c>{serviceId}/members/{clusterId}</c>, with a Version
/// field) when it is missing, so a mistyped <c>--cluster-id</c> would leave an empty table in the cluster's Redis, and
/// its StackExchange.Redis connect ignores our time limit. This check only reads, and keeps to the deadline.
/// </summary>
internal static class RedisMembership
{
    /// <summary>Orleans' RedisClusteringOptions.DefaultCreateRedisKey, which the silos use.</summary>
    public static string Key(string serviceId, string clusterId) => $"{serviceId}/members/{clusterId}";

    /// <summary>Throws <see cref="ClusterUnavailableException"/> when Redis cannot be reached by
    /// <paramref name="deadline"/>, <see cref="UsageException"/> when it holds no such cluster.</summary>
    public static async Task EnsureRegisteredAsync(RedisAddress redis, string clusterId, string serviceId, ConnectDeadline deadline,
        CancellationToken cancellationToken)
    {
        await using var muxer = await ConnectAsync(redis, deadline, cancellationToken);
        var db = muxer.GetDatabase();
        List<string> found;
        try
        {
            if (await db.KeyExistsAsync(Key(serviceId, clusterId)).WaitAsync(cancellationToken)) return;
            found = await RegisteredAsync(muxer, db.Database, serviceId, cancellationToken);
        }
        // Connected, then refused or timed out (a lost connection, a command an ACL forbids); RedisTimeoutException is a
        // TimeoutException, not a RedisException.
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ClusterUnavailableException($"Redis at {redis.EndPoints} failed to list the cluster's gateways: {Failures.OneLine(e.Message)}", e);
        }
        throw new UsageException($"no cluster '{clusterId}' (service '{serviceId}') in Redis {redis.EndPoints}; found: " +
                                 (found.Count == 0 ? "none" : string.Join(", ", found)));
    }

    /// <summary>
    /// The longest one connect attempt may wait, however far the deadline: StackExchange.Redis' own default. A
    /// handshake is one round trip; one that has not ended by then is tried afresh. StackExchange.Redis 2.13 can miss a
    /// failure that comes before it starts waiting (a refused password under load: the log shows the failure, then
    /// "Allowing 1 endpoint(s) 00:00:29.99 to respond") and then waits out the whole connect timeout.
    /// </summary>
    internal static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(5);

    /// <summary>Connects, retrying until <paramref name="deadline"/>; each attempt's own time limit (at most
    /// <see cref="AttemptLimit"/>), and that of the commands after it, ends there too (StackExchange.Redis would
    /// otherwise give a command 5 s).</summary>
    private static async Task<IConnectionMultiplexer> ConnectAsync(RedisAddress redis, ConnectDeadline deadline, CancellationToken ct)
    {
        while (true)
        {
            var options = redis.Options.Clone();
            options.AbortOnConnectFail = true;   // fail the attempt instead of a multiplexer that keeps retrying
            options.ConnectRetry = 1;
            options.AsyncTimeout = options.SyncTimeout = deadline.AttemptMilliseconds;
            options.ConnectTimeout = Math.Min(deadline.AttemptMilliseconds, (int)AttemptLimit.TotalMilliseconds);
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(ct);
            }
            // Refused, not down: every attempt would be refused alike (a silo given these credentials exits 2 as well).
            catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
            {
                throw new UsageException($"{redis.Source}: Redis at {redis.EndPoints} refused the connection's credentials; check its password= (and user=)");
            }
            catch (RedisConnectionException e)
            {
                if (!await deadline.BeforeRetryAsync(ct))
                    throw new ClusterUnavailableException($"cannot reach Redis at {redis.EndPoints} to find the cluster's gateways: {await ReasonAsync(e, redis)}", e);
            }
        }
    }

    /// <summary>The clusters registered in this database: their ids for <paramref name="serviceId"/>, "id (service 's')"
    /// for other services. SCAN, not KEYS: the Redis may be busy serving the cluster.</summary>
    private static async Task<List<string>> RegisteredAsync(IConnectionMultiplexer muxer, int database, string serviceId, CancellationToken ct)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var server in muxer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(database, "*/members/*").WithCancellation(ct))
            {
                var text = key.ToString();
                int at = text.IndexOf("/members/", StringComparison.Ordinal);
                var (service, cluster) = (text[..at], text[(at + "/members/".Length)..]);
                found.Add(service == serviceId ? cluster : $"{cluster} (service '{service}')");
                if (found.Count >= 20) return [.. found, "..."];
            }
        }
        return [.. found];
    }

    /// <summary>What went wrong, without StackExchange.Redis' advice to library users ("use abortConnect=false in your
    /// connection string..."), which a CLI user cannot follow. "Unable to connect" says nothing of why: a plain TCP
    /// connect to the first endpoint gives the socket's reason (connection refused, no route, unknown host).</summary>
    private static async Task<string> ReasonAsync(RedisConnectionException e, RedisAddress redis)
    {
        if (e.InnerException is { } inner) return Failures.OneLine(inner.Message);
        if (e.FailureType == ConnectionFailureType.UnableToConnect)
            return await SocketErrorAsync(redis) ?? "no Redis answered in time (the port accepts connections)";
        var message = Failures.OneLine(e.Message);
        int advice = message.IndexOf(" To allow this multiplexer", StringComparison.Ordinal);
        return advice > 0 ? message[..advice] : message;
    }

    private static Task<string?> SocketErrorAsync(RedisAddress redis)
    {
        var options = redis.Options.Clone();
        options.SetDefaultPorts();
        return TcpProbe.ConnectErrorAsync(options.EndPoints[0], TimeSpan.FromMilliseconds(500), CancellationToken.None);
    }
}
