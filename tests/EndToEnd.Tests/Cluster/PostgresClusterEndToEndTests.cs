using System.Globalization;
using System.Text.Json.Nodes;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>Two silo processes clustered and storing grain state through a real PostgreSQL set up with the repo's
/// schema scripts (src/Silo/Sql). Needs Debian's postgresql package (.ci/run installs it).</summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class PostgresClusterEndToEndTests
{
    [Fact]
    public async Task Sweep_OnTwoSilosClusteredThroughPostgres_CompletesWithStateInTheDatabase()
    {
        // Required, not optional: .ci/run installs it, so a missing server fails instead of passing unrun.
        var bin = PostgresServer.FindBinaries()
                  ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
        await using var postgres = await PostgresServer.StartAsync(bin);
        using var dir = new TempDirectory("gg-pg");
        var clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        string[] args =
        [
            "--clustering", "postgres", "--storage", "postgres", "--postgres", postgres.ConnectionString, "--advertised-ip", "127.0.0.1",
            "--cluster-id", clusterId, "--service-id", clusterId, "--checkpoint-dir", dir.Combine("checkpoints"), "--cpu-training",
            "--cpu-slots", "1",   // two silos on the 2-core CI machine: a pack each at a time, not a core's worth each
        ];
        using var a = SiloProcess.Start("pg-a", dir, args);
        using var b = SiloProcess.Start("pg-b", dir, args);
        await Task.WhenAll(a.WaitActiveAsync(TimeSpan.FromSeconds(90)), b.WaitActiveAsync(TimeSpan.FromSeconds(90)));
        Assert.Equal(2, (await postgres.MembersAsync()).Count(m => m.Status == 3));   // both Active in the membership table

        var spec = TestSpecs.Write(dir, "e2e-postgres", ["backprop", "wt"], ["adamw"], [1e-2], [0], epochs: 8);
        await Gradguess.OkAsync(["submit", spec, "--gateway", a.Gateway, "--cluster-id", clusterId, "--service-id", clusterId]);
        string[] viaB = ["--gateway", b.Gateway, "--cluster-id", clusterId, "--service-id", clusterId];
        await Gradguess.OkAsync(["watch", "e2e-postgres", .. viaB]);
        var rows = JsonNode.Parse(await Gradguess.OkAsync(["export", "e2e-postgres", "--format", "json", .. viaB]))!.AsArray();
        CurveChecks.AssertCompleteWithoutDuplicates(rows, cells: 2, epochs: 8);

        // delete removes the sweep's rows (ledger, curve chunks, pack states), not just their payloads.
        Assert.True(await postgres.StateRowsWithKeyContainingAsync("e2e-postgres") > 0, "the sweep's states are not keyed by its name");
        Assert.StartsWith("deleted sweep e2e-postgres: 2 cells, 2 curve chunks, 2 checkpoint files",
            await Gradguess.OkAsync(["delete", "e2e-postgres", "--yes", .. viaB]));
        Assert.Equal(0, await postgres.StateRowsWithKeyContainingAsync("e2e-postgres"));
        Assert.False(Directory.Exists(dir.Combine("checkpoints", "e2e-postgres")));

        // The provider files a key that parses as a hexadecimal integer under that integer: 7 and 07 are two sweeps still.
        foreach (var name in new[] { "7", "07" })
        {
            var one = TestSpecs.Write(dir, name, ["backprop"], ["sgd"], [name == "7" ? 1e-2 : 1e-3], [0], epochs: 2);
            await Gradguess.OkAsync(["submit", one, .. viaB]);
            await Gradguess.OkAsync(["watch", name, .. viaB]);
        }
        foreach (var (name, lr) in new[] { ("7", 1e-2), ("07", 1e-3) })
        {
            var status = JsonNode.Parse(await Gradguess.OkAsync(["status", name, "--json", .. viaB]))!;
            Assert.Equal((name, "completed", lr), ((string?)status["name"], (string?)status["state"], (double)status["cells"]![0]!["config"]!["learningRate"]!));
        }
    }

    /// <summary>A database that does not exist, or a user the server does not know, is refused on every attempt alike: a
    /// configuration error (exit 2) at once, naming the setting, not retried for half a minute as if the server were down
    /// and then reported in Npgsql's words (exit 1). (The test server trusts every user, so a wrong password cannot be
    /// shown here; it is the same path, SQLSTATE 28P01.)</summary>
    [Theory]
    [InlineData("Database=nosuch;Username=orleans", "nosuch", "3D000: database \"nosuch\" does not exist")]
    [InlineData("Database=orleans;Username=nobody", "orleans", "28000: role \"nobody\" does not exist")]
    public async Task Silo_RefusedByPostgres_ExitsTwoAtOnce_NamingTheSetting(string settings, string database, string reason)
    {
        var bin = PostgresServer.FindBinaries()
                  ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
        await using var postgres = await PostgresServer.StartAsync(bin);
        using var dir = new TempDirectory("gg-pg-refused");
        var started = DateTime.UtcNow;
        var result = await Gradguess.RunAsync(
            ["silo", "--clustering", "postgres", "--storage", "postgres", "--postgres", $"Host=127.0.0.1;Port={postgres.Port};{settings}",
             "--advertised-ip", "127.0.0.1", "--state-dir", dir.Combine("state"), "--http-port", "0",
             "--silo-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"gradguess: invalid silo configuration: GradGuess:Postgres: PostgreSQL at 127.0.0.1:{postgres.Port}/{database} refused the " +
                     $"connection ({reason}); check its Username, Password and Database", result.Stderr.Trim());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(25), $"took {DateTime.UtcNow - started}");   // retried: over 30 s
        // The refused start trained nothing there: the checkpoint directory keeps no claim for this store, which would
        // refuse the next start with the settings put right (another store, another service id) as another store's.
        Assert.Empty(Directory.EnumerateFiles(dir.Combine("state"), ".store", SearchOption.AllDirectories));
    }
}
