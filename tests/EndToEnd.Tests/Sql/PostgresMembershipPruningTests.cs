using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using Npgsql;

namespace GradGuessCluster.EndToEnd.Tests.Sql;

/// <summary>The repo's PostgreSQL membership script prunes what Orleans asks it to: rows of silos that are not active
/// and were last heard of before the cut-off, a dead silo's votes notwithstanding. (A real PostgreSQL; .ci/run installs it.)</summary>
[Trait("Category", "EndToEnd")]
public sealed class PostgresMembershipPruningTests
{
    [Fact]
    public async Task CleanupDefunctSiloEntries_RemovesOldInactiveRows_VotesOrNot_AndKeepsTheRest()
    {
        var bin = PostgresServer.FindBinaries()
                  ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
        await using var postgres = await PostgresServer.StartAsync(bin);
        await using var db = new NpgsqlConnection(postgres.ConnectionString);
        await db.OpenAsync();
        var old = DateTime.UtcNow.AddHours(-2);
        await Execute(db, "INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES ('c'), ('other')");
        // (port, status, suspect times, last heard): killed and voted dead; dead without votes; dead a moment ago;
        // active; a silo that never got past joining; and another cluster's dead silo.
        await Member(db, "c", 1, 6, "10.0.0.2:11111@1,2026-11-30 10:00:00.000 GMT", old);
        await Member(db, "c", 2, 6, null, old);
        await Member(db, "c", 3, 6, "10.0.0.2:11111@1,2026-11-30 10:00:00.000 GMT", DateTime.UtcNow);
        await Member(db, "c", 4, 3, null, old);
        await Member(db, "c", 5, 2, null, old);
        await Member(db, "other", 6, 6, null, old);

        var query = (string)(await new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntriesKey'", db)
            .ExecuteScalarAsync())!;
        await using (var cleanup = new NpgsqlCommand(query, db))
        {
            cleanup.Parameters.AddWithValue("DeploymentId", "c");
            cleanup.Parameters.AddWithValue("IAmAliveTime", DateTime.UtcNow.AddHours(-1));
            await cleanup.ExecuteNonQueryAsync();
        }

        var left = new List<int>();
        await using var reader = await new NpgsqlCommand("SELECT Port FROM OrleansMembershipTable ORDER BY Port", db).ExecuteReaderAsync();
        while (await reader.ReadAsync()) left.Add(reader.GetInt32(0));
        Assert.Equal([3, 4, 6], left);
    }

    private static async Task Member(NpgsqlConnection db, string cluster, int port, int status, string? suspects, DateTime heard)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, " +
            "SuspectTimes, StartTime, IAmAliveTime) VALUES (@d, '10.0.0.1', @p, 1, 's', 'h', @s, 0, @v, @t, @t)", db);
        insert.Parameters.AddWithValue("d", cluster);
        insert.Parameters.AddWithValue("p", port);
        insert.Parameters.AddWithValue("s", status);
        insert.Parameters.AddWithValue("v", (object?)suspects ?? DBNull.Value);
        insert.Parameters.AddWithValue("t", heard);
        await insert.ExecuteNonQueryAsync();
    }

    private static Task Execute(NpgsqlConnection db, string sql) => new NpgsqlCommand(sql, db).ExecuteNonQueryAsync();
}
