using GradGuessCluster.Training;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Runs before the silo starts: reaches Redis and PostgreSQL (whichever the options use) with bounded, logged retries,
/// and checks that the PostgreSQL schema is there, so a missing service fails with one clear line instead of a stack of
/// Orleans start-up errors. Runs in the host's "starting" phase, before any hosted service (the silo) starts.
/// </summary>
public sealed partial class StartupConnectivityCheck(SiloHostOptions options, ILogger<StartupConnectivityCheck> logger) : HostPhaseService
{
    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Clustering == ClusteringKinds.Redis || options.Storage == StorageKinds.Redis)
            await ReachAsync("Redis", string.Join(", ", ConfigurationOptions.Parse(options.Redis!).EndPoints), PingRedisAsync, cancellationToken);
        if (options.Clustering == ClusteringKinds.Postgres || options.Storage == StorageKinds.Postgres)
        {
            var target = new NpgsqlConnectionStringBuilder(options.Postgres);
            await ReachAsync("PostgreSQL", $"{target.Host}:{target.Port}/{target.Database}", CheckPostgresAsync, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="probe"/> with bounded retries; the final failure names the service and its address
    /// (never the connection string, which may hold a password).</summary>
    private async Task ReachAsync(string service, string address, Func<CancellationToken, ValueTask> probe, CancellationToken ct)
    {
        try
        {
            await ResiliencePipelines.Startup(options.StartupAttempts, service, logger).ExecuteAsync(probe, ct);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            throw new SiloStartupException($"cannot reach {service} at {address} after {Units.Count(options.StartupAttempts, "attempt")}: {e.Message}", e);
        }
    }

    private async ValueTask PingRedisAsync(CancellationToken ct)
    {
        var config = ConfigurationOptions.Parse(options.Redis!);
        config.AbortOnConnectFail = true;
        config.ConnectRetry = 1;
        ConnectionMultiplexer redis;
        try { redis = await ConnectionMultiplexer.ConnectAsync(config); }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            // Not retried as if Redis were down: the same password is refused on every attempt.
            throw new SiloConfigurationException([
                $"{SiloHostOptions.SectionName}:Redis: Redis at {string.Join(", ", config.EndPoints)} refused the connection's credentials; " +
                "check its password= (and user=)"]);
        }
        await using var _ = redis;
        var latency = await redis.GetDatabase().PingAsync();
        LogReached(logger, "Redis", latency);
    }

    /// <summary>The server's reason, when it refused a setting of the connection string rather than failed: a wrong
    /// password or user, a user the server's rules turn away, a database that does not exist, or no password given.</summary>
    private static string? RefusedSetting(Exception e) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" or "3D000" } p => $"{p.SqlState}: {p.MessageText}",
        NpgsqlException { InnerException: null } n when n.Message.StartsWith("No password has been provided", StringComparison.Ordinal) => n.Message,
        _ => null,
    };

    private async ValueTask CheckPostgresAsync(CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(options.Postgres);
        try { await connection.OpenAsync(ct); }
        catch (Exception e) when (RefusedSetting(e) is { } refusal)
        {
            // Not retried as if PostgreSQL were down: the same credentials or database are refused on every attempt.
            var target = new NpgsqlConnectionStringBuilder(options.Postgres);
            throw new SiloConfigurationException([
                $"{SiloHostOptions.SectionName}:Postgres: PostgreSQL at {target.Host}:{target.Port}/{target.Database} refused the connection " +
                $"({refusal}); check its Username, Password and Database"]);
        }
        var missing = new List<string>();
        foreach (var (table, used) in new[]
                 {
                     ("orleansquery", true),
                     ("orleansmembershiptable", options.Clustering == ClusteringKinds.Postgres),
                     ("orleansstorage", options.Storage == StorageKinds.Postgres),
                 })
        {
            if (!used) continue;
            await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
            command.Parameters.AddWithValue("name", table);
            if (await command.ExecuteScalarAsync(ct) is not true) missing.Add(table);
        }
        if (missing.Count > 0)
            throw new SiloConfigurationException([
                $"{SiloHostOptions.SectionName}:Postgres: the database lacks {string.Join(", ", missing)}; apply the scripts in src/Silo/Sql (see docs/CLUSTER.md)"]);
        LogReached(logger, "PostgreSQL", DateTime.UtcNow - started);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reached {Target} in {Latency}")]
    private static partial void LogReached(ILogger logger, string target, TimeSpan latency);
}
