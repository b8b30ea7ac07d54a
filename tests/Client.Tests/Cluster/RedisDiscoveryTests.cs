using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using StackExchange.Redis;
using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary>Finding the cluster through Redis, as the real client process does it: bounded by --connect-timeout, and
/// read-only (a mistyped cluster id must not leave a membership table behind).</summary>
public sealed class RedisDiscoveryTests
{
    [Fact]
    public void RedisDown_FailsWithinTheConnectTimeout_WithOneCleanLine()
    {
        int port = FreePorts.Next();   // nothing listens there
        var start = ProcessStart();
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "status", "--redis", $"127.0.0.1:{port}", "--connect-timeout", "2");
        clock.Stop();

        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith($"gradguess: cannot reach Redis at 127.0.0.1:{port} to find the cluster's gateways: ", line);
        Assert.DoesNotContain("abortConnect", line, StringComparison.OrdinalIgnoreCase);
        AssertBounded(clock.Elapsed, start);
    }

    [Fact]
    public async Task UnknownClusterId_NamesTheClustersThere_AndWritesNothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var muxer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = muxer.GetDatabase();
        // What a silo of cluster 'gradguess', service 'gradguess' writes first (Orleans' Redis membership table).
        await db.HashSetAsync("gradguess/members/gradguess", "Version", "0");

        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment,
            "status", "--redis", redis.ConnectionString, "--cluster-id", "other", "--connect-timeout", "5");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: no cluster 'other' (service 'gradguess') in Redis {redis.ConnectionString}; found: gradguess",
            Assert.Single(r.StderrLines));
        var keys = muxer.GetServer(muxer.GetEndPoints()[0]).Keys().Select(k => k.ToString()).ToList();
        Assert.Equal(["gradguess/members/gradguess"], keys);
    }

    [Fact]
    public async Task RedisAtItsMaxmemory_SaysItIsFull_AndHowToReachTheSweepMeanwhile()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var muxer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        await muxer.GetDatabase().HashSetAsync("gradguess/members/gradguess", "Version", "0");
        // Full: every write is refused from now on, as once a cluster's curves have filled its maxmemory.
        await muxer.GetServer(muxer.GetEndPoints()[0]).ConfigSetAsync("maxmemory", "1");

        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "status", "--redis", redis.ConnectionString, "--connect-timeout", "5");

        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("OOM command not allowed when used memory > 'maxmemory'", line);
        Assert.EndsWith("; Redis is full: raise its maxmemory or free memory (the silos cannot store their epochs meanwhile), " +
                        "or reach a silo with --gateway HOST:30000 instead of --redis to see the sweep", line);
    }

    [Fact]
    public async Task AWrongPassword_ExitsTwoAtOnce_NamingTheCredentials_NotRetriedAsIfRedisWereDown()
    {
        // Every attempt was refused alike until --connect-timeout: then "cannot reach Redis" and exit 1.
        await using var redis = await RedisServer.StartAsync(password: "right");
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment,
            "status", "--redis", redis.ConnectionString + ",password=wrong", "--connect-timeout", "30");
        clock.Stop();

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --redis: Redis at {redis.ConnectionString} refused the connection's credentials; check its password= (and user=)",
            Assert.Single(r.StderrLines));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"took {clock.Elapsed}: retried until the 30 s connect timeout");
    }

    [Fact]
    public async Task ARedisThatNeverAnswers_IsTriedAfreshEachAttemptLimit_AndNamedAsSilent()
    {
        // Accepts connections and answers nothing: a hung Redis, or the handshake failure StackExchange.Redis misses
        // under load. One attempt used to wait out the whole --connect-timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();
        var handshakes = new List<TimeSpan>();   // when each connection that spoke Redis (not the closing TCP probe) came
        var open = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var client = await silent.AcceptTcpClientAsync(stop.Token);
                    var at = clock.Elapsed;
                    lock (open) open.Add(client);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            if (await client.GetStream().ReadAsync(new byte[1], stop.Token) > 0) lock (handshakes) handshakes.Add(at);
                        }
                        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException) { }
                    });
                }
            }
            catch (OperationCanceledException) { }
        });

        var start = ProcessStart();
        clock.Restart();
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment,
            "status", "--redis", $"127.0.0.1:{port}", "--connect-timeout", "9");
        var elapsed = clock.Elapsed;
        stop.Cancel();
        await accepting;
        lock (open) foreach (var c in open) c.Dispose();

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"gradguess: cannot reach Redis at 127.0.0.1:{port} to find the cluster's gateways: no Redis answered in time (the port accepts connections)",
            Assert.Single(r.StderrLines));
        var limit = RedisMembership.AttemptLimit;
        lock (handshakes)
            Assert.True(handshakes.Count > 0 && handshakes.Max() - handshakes.Min() >= limit - TimeSpan.FromSeconds(1),
                $"handshakes began at {string.Join(", ", handshakes)}: none was tried afresh after {limit}");
        AssertBounded(elapsed, start, connectTimeoutSeconds: 9);
    }

    [Fact]
    public async Task KnownClusterWithoutSilos_FailsWithinTheConnectTimeout()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var muxer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await muxer.GetDatabase().HashSetAsync("gradguess/members/gradguess", "Version", "0");

        var start = ProcessStart();
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "status", "--redis", redis.ConnectionString, "--connect-timeout", "2");
        clock.Stop();

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("gradguess: cannot reach the cluster 'gradguess'", Assert.Single(r.StderrLines));
        AssertBounded(clock.Elapsed, start);
    }

    /// <summary>What starting the client costs on this machine now (it varies with load): a run that only prints its version.</summary>
    private static TimeSpan ProcessStart()
    {
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "--version").ExitCode);
        return clock.Elapsed;
    }

    /// <summary>The time of trying (--connect-timeout, 2 s unless given) plus twice the process's own start (an Orleans
    /// client costs more to start than --version, and more so under load) and 4 s of slack: a functional bound that load
    /// does not break, and on an idle machine (a start of 0.5 s) still well below the 12 s that the 2 s failures took
    /// before the timeout bounded them.</summary>
    private static void AssertBounded(TimeSpan elapsed, TimeSpan start, double connectTimeoutSeconds = 2) =>
        Assert.True(elapsed < TimeSpan.FromSeconds(connectTimeoutSeconds) + 2 * start + TimeSpan.FromSeconds(4),
            $"took {elapsed}; starting the client took {start}");
}
