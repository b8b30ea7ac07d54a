using Npgsql;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL (Debian's postgresql package) on a free loopback port, its cluster in a temp directory, with
/// the repo's Orleans schema scripts applied. PostgreSQL refuses to run as root: as root it runs as the 'postgres' user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gg-postgres");
    private readonly string _bin;

    private PostgresServer(string bin) => _bin = bin;

    public int Port { get; } = FreePorts.Next();

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=orleans;Username=orleans";

    /// <summary>The PostgreSQL bin directory, or null when the server is not installed (the test then reports it did not run).</summary>
    public static string? FindBinaries() =>
        new[] { "/usr/lib/postgresql" }.Where(Directory.Exists)
            .SelectMany(d => Directory.GetDirectories(d)).OrderDescending()
            .Select(v => Path.Combine(v, "bin"))
            .FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")));

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> StartAsync(string bin)
    {
        var server = new PostgresServer(bin);
        if (IsRoot) await MustAsync("chown", ["-R", "postgres", server._dir.Path]);
        var data = server._dir.Combine("data");
        await server.RunAsync("initdb", ["-D", data, "-U", "orleans", "--auth=trust", "-E", "UTF8"]);
        await server.LaunchAsync();
        await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Database=postgres;Username=orleans"))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand("CREATE DATABASE orleans", admin).ExecuteNonQueryAsync();
        }
        await using var db = new NpgsqlConnection(server.ConnectionString);
        await db.OpenAsync();
        foreach (var script in Directory.GetFiles(RepoPaths.Combine("src", "Silo", "Sql"), "PostgreSQL-*.sql").Order())
            await new NpgsqlCommand(await File.ReadAllTextAsync(script), db).ExecuteNonQueryAsync();
        return server;
    }

    private Task LaunchAsync() =>
        RunAsync("pg_ctl", ["-D", _dir.Combine("data"), "-l", _dir.Combine("postgres.log"), "-w", "start",
            "-o", $"-p {Port} -k {_dir.Path} -c listen_addresses=127.0.0.1 -c fsync=off"]);

    /// <summary>Stops the server as an upgrade or a restart policy would (fast: open connections are cut, committed
    /// data stays), leaves it down for <paramref name="down"/>, and starts it again on the same port and data.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await RunAsync("pg_ctl", ["-D", _dir.Combine("data"), "-m", "fast", "-w", "stop"]);
        await Task.Delay(down);
        await LaunchAsync();
    }

    public async Task<List<(int Port, int Status)>> MembersAsync()
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var reader = await new NpgsqlCommand("SELECT Port, Status FROM OrleansMembershipTable", db).ExecuteReaderAsync();
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        return rows;
    }

    /// <summary>Grain-state rows whose key holds <paramref name="text"/> (a sweep's name is in every key of its states).</summary>
    public async Task<long> StateRowsWithKeyContainingAsync(string text)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansStorage WHERE strpos(GrainIdExtensionString, @text) > 0", db);
        command.Parameters.AddWithValue("text", text);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs <paramref name="sql"/> (an UPDATE or DELETE of OrleansStorage) on the rows of one grain state:
    /// <paramref name="stateName"/> is the provider's grain type string, <paramref name="grainKey"/> the grain's key.
    /// Returns the rows it touched.</summary>
    public async Task<int> OnStateRowAsync(string sql, string stateName, string grainKey)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql + " WHERE GrainTypeString = @type AND GrainIdExtensionString = @key", db);
        command.Parameters.AddWithValue("type", stateName);
        command.Parameters.AddWithValue("key", grainKey);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every state row as "type key", to say what there was when a row was not found.</summary>
    public async Task<string> DescribeStateRowsAsync()
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var reader = await new NpgsqlCommand("SELECT GrainTypeString, GrainIdExtensionString FROM OrleansStorage", db).ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add($"{reader.GetString(0)} {(reader.IsDBNull(1) ? "(null)" : reader.GetString(1))}");
        return string.Join("; ", rows);
    }

    private Task RunAsync(string tool, string[] args) =>
        IsRoot ? MustAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
               : MustAsync(Path.Combine(_bin, tool), args);

    private static async Task MustAsync(string file, string[] args)
    {
        var run = await ToolRun.RunAsync(file, args, timeout: TimeSpan.FromSeconds(60));
        if (run.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {run}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync("pg_ctl", ["-D", _dir.Combine("data"), "-m", "immediate", "stop"]); }
        catch (Exception) { /* best effort */ }
        _dir.Dispose();
    }
}
