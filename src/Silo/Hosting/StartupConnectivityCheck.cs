using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Runs before the silo starts: reaches Redis and PostgreSQL (whichever the options use) with bounded, logged retries,
/// and checks that the PostgreSQL schema is there, so a missing service fails with one clear line instead of a stack of
/// Orleans start-up errors.
/// </summary>
public sealed partial class StartupConnectivityCheck(SiloHostOptions options, ILogger<StartupConnectivityCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Clustering == ClusteringKinds.Redis || options.Storage == StorageKinds.Redis)
            await ResiliencePipelines.Startup(options.StartupAttempts, "Redis", logger)
                .ExecuteAsync(PingRedisAsync, cancellationToken);
        if (options.Clustering == ClusteringKinds.Postgres || options.Storage == StorageKinds.Postgres)
            await ResiliencePipelines.Startup(options.StartupAttempts, "PostgreSQL", logger)
                .ExecuteAsync(CheckPostgresAsync, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async ValueTask PingRedisAsync(CancellationToken ct)
    {
        var config = ConfigurationOptions.Parse(options.Redis!);
        config.AbortOnConnectFail = true;
        config.ConnectRetry = 1;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
        var latency = await redis.GetDatabase().PingAsync();
        LogReached(logger, "Redis", latency);
    }

    private async ValueTask CheckPostgresAsync(CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(ct);
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
                $"{SiloHostOptions.SectionName}:Postgres: the database lacks {string.Join(", ", missing)}; apply the scripts in src/Silo/Sql (see README)"]);
        LogReached(logger, "PostgreSQL", DateTime.UtcNow - started);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reached {Target} in {Latency}")]
    private static partial void LogReached(ILogger logger, string target, TimeSpan latency);
}
