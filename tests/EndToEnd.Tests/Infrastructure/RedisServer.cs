using System.Net.Sockets;
using System.Text;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, with its files in a temp directory.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gg-redis");
    private ManagedProcess? _process;

    public int Port { get; } = FreePorts.Next();

    public string ConnectionString => $"127.0.0.1:{Port}";

    private bool _persistent;
    private string? _password;

    /// <param name="persistent">Keep the data across a <see cref="RestartAsync"/>: an append-only file, fsynced on every
    /// write (as a deployment runs it: docker-compose.yml, deploy/k8s/redis.yaml).</param>
    /// <param name="password">Required of every client (requirepass).</param>
    public static async Task<RedisServer> StartAsync(bool persistent = false, string? password = null)
    {
        var server = new RedisServer { _persistent = persistent, _password = password };
        await server.LaunchAsync();
        return server;
    }

    private async Task LaunchAsync()
    {
        string[] persistence = _persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        string[] auth = _password is null ? [] : ["--requirepass", _password];
        _process = ManagedProcess.Start("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dir.Path, "--save", "", .. persistence, .. auth],
            _dir.Combine("redis.log"));
        await Waiting.UntilAsync(PingAsync, TimeSpan.FromSeconds(20), () => "redis-server did not answer PING\n" + _process.LogTail());
    }

    /// <summary>Stops the server (SIGTERM: it finishes its writes), leaves it down for <paramref name="down"/>, and starts
    /// it again on the same port and files.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        Assert.True(_process!.Terminate(TimeSpan.FromSeconds(20)), "redis-server did not stop");
        _process.Dispose();
        await Task.Delay(down);
        await LaunchAsync();
    }

    private async Task<bool> PingAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        if (_password is not null)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {_password}\r\n"));
            await stream.ReadExactlyAsync(new byte[5]);   // +OK\r\n
        }
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[16];
        int n = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG");
    }

    /// <summary>Keys matching <paramref name="pattern"/> (a glob, as for SCAN).</summary>
    public async Task<int> CountKeysAsync(string pattern)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(ConnectionString);
        var count = 0;
        await foreach (var _ in redis.GetServer(ConnectionString).KeysAsync(pattern: pattern)) count++;
        return count;
    }

    /// <summary>Sets the hash field <paramref name="field"/> of <paramref name="key"/> (which must exist), as a
    /// damaged or foreign write would.</summary>
    public async Task SetFieldAsync(string key, string field, string value)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(ConnectionString);
        var db = redis.GetDatabase();
        Assert.True(await db.KeyExistsAsync(key), $"no key {key}");
        await db.HashSetAsync(key, field, value);
    }

    public async Task<bool> DeleteKeyAsync(string key)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(ConnectionString);
        return await redis.GetDatabase().KeyDeleteAsync(key);
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
