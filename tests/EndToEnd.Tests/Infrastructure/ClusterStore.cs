namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The server that holds one test cluster's membership and grain state, a real redis-server or a real PostgreSQL, and
/// the arguments its silos and clients share, so that a test of the cluster's stores runs as one theory over both.
/// </summary>
public sealed class ClusterStore : IAsyncDisposable
{
    /// <summary>The start of a JSON object naming a type no build has: a payload that no longer deserializes.</summary>
    public const string Garbage = "{\"$type\":\"GradGuessCluster.Grains.Nothing, GradGuessCluster.Grains\",";

    private readonly RedisServer? _redis;
    private readonly PostgresServer? _postgres;

    private ClusterStore(RedisServer? redis, PostgresServer? postgres)
    {
        (_redis, _postgres) = (redis, postgres);
        Args = new ClusterArgs(redis is not null ? "redis" : "postgres", redis?.ConnectionString ?? postgres!.ConnectionString,
            ClusterArgs.NewClusterId());
    }

    /// <summary>The arguments silos and clients of this store's cluster share.</summary>
    public ClusterArgs Args { get; }

    public string ClusterId => Args.ClusterId;

    public bool IsRedis => _redis is not null;

    /// <param name="kind"><c>redis</c> or <c>postgres</c>.</param>
    /// <param name="persistent">Keep Redis's data across <see cref="RestartAsync"/> (PostgreSQL always does).</param>
    public static async Task<ClusterStore> StartAsync(string kind, bool persistent = false) => kind switch
    {
        "redis" => new ClusterStore(await RedisServer.StartAsync(persistent), null),
        "postgres" => new ClusterStore(null, await PostgresServer.StartAsync(PostgresServer.FindBinaries()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it"))),
        _ => throw new ArgumentException($"no store named {kind}", nameof(kind)),
    };

    public string[] GpuSiloArgs(string checkpointDirectory, int gpus) => Args.GpuSiloArgs(checkpointDirectory, gpus);

    public string[] ClientArgs(SiloProcess silo) => Args.ClientArgs(silo.Gateway);

    public Task<TestClient> ClientAsync(SiloProcess silo) =>
        IsRedis ? TestClient.ConnectAsync(ClusterId, Args.Connection) : TestClient.ConnectAsync(ClusterId, redis: null, silo.GatewayPort);

    /// <summary>Stops the server as a restart policy or an upgrade would, leaves it down for <paramref name="down"/>, and
    /// starts it again on the same port and data.</summary>
    public Task RestartAsync(TimeSpan down) => _redis is not null ? _redis.RestartAsync(down) : _postgres!.RestartAsync(down);

    // Orleans' Redis storage key: {serviceId}/state/{grainType}/{grainKey}/{stateName}, the payload in field "data".
    private string RedisKey(string grainType, string grainKey, string stateName) => $"{ClusterId}/state/{grainType}/{grainKey}/{stateName}";

    /// <summary>Overwrites a grain state's payload with <see cref="Garbage"/>.</summary>
    public async Task CorruptAsync(string grainType, string grainKey, string stateName)
    {
        if (_redis is not null)
        {
            await _redis.SetFieldAsync(RedisKey(grainType, grainKey, stateName), "data", Garbage);
            return;
        }
        var rows = await _postgres!.OnStateRowAsync($"UPDATE OrleansStorage SET PayloadBinary = convert_to('{Garbage}', 'UTF8')", stateName, grainKey);
        Assert.True(rows == 1, $"{rows} rows for {stateName} {grainKey}: {await _postgres.DescribeStateRowsAsync()}");
    }

    /// <summary>Removes a grain state's entry, as an operator following the way out of a damaged one does.</summary>
    public async Task RemoveAsync(string grainType, string grainKey, string stateName)
    {
        if (_redis is not null) Assert.True(await _redis.DeleteKeyAsync(RedisKey(grainType, grainKey, stateName)));
        else Assert.Equal(1, await _postgres!.OnStateRowAsync("DELETE FROM OrleansStorage", stateName, grainKey));
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
