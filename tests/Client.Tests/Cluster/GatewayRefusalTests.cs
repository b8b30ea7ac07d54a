using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Client.Tests.Support;
using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary>A gateway that answers TCP but refuses the Orleans handshake (what a silo does to a client of another
/// cluster id, and before it is active) is told apart from a gateway that is down.</summary>
public sealed class GatewayRefusalTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]   // named as given, not by the address it resolved to
    public async Task GatewayThatAnswersButRefuses_SaysSoWhenTheConnectTimeoutEnds(string host)
    {
        // Accepts every connection and closes it at once: the handshake fails while the port is open.
        using var listener = new TcpListener(IPAddress.Loopback, FreePorts.Next());
        listener.Start();
        using var stop = new CancellationTokenSource();
        var refusing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                (await listener.AcceptSocketAsync(stop.Token)).Dispose();
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var clock = Stopwatch.StartNew();
        var r = await Task.Run(() => CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment,
            "status", "--gateway", $"{host}:{port}", "--cluster-id", "other", "--connect-timeout", "6"));
        clock.Stop();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refusing);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"gradguess: the gateway at {host}:{port} answers but did not take a client of cluster 'other' " +
                     "(is --cluster-id/--service-id the silos'? is the port a silo's gateway port, --gateway-port, 30000 by default, " +
                     "not its silo or HTTP port? a silo still starting takes no clients yet either)", Assert.Single(r.StderrLines));
        // Not given up early: a silo that is still starting answers TCP too, and would take the client a moment later.
        // (The last retry may end up to half a second before the deadline; giving up after two refusals took ~1.5 s.)
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(4), $"gave up after {clock.Elapsed}");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]   // resolved, and named as given
    public void GatewayThatIsDown_IsStillUnreachable(string host)
    {
        int port = FreePorts.Next();   // nothing listens there
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "status", "--gateway", $"{host}:{port}", "--connect-timeout", "2");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"gradguess: cannot reach the gateway {host}:{port} (cluster 'gradguess'): ", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void HostThatDoesNotResolve_IsRetriedUntilTheConnectTimeout()
    {
        // A compose service or pod starting beside the client has no DNS entry for a moment: waited out like a gateway
        // not listening yet, not refused at once.
        var clock = Stopwatch.StartNew();
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment, "status", "--gateway", "no-such-silo.invalid:30000", "--connect-timeout", "3");
        clock.Stop();
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("gradguess: cannot reach the gateway no-such-silo.invalid:30000 (cluster 'gradguess'): host 'no-such-silo.invalid' does not resolve (",
            Assert.Single(r.StderrLines));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), $"gave up after {clock.Elapsed}");
    }

    [Fact]
    public void AHostThatDoesNotResolve_KeepsTheClientFromNoGatewayThatDoes()
    {
        int port = FreePorts.Next();   // nothing listens there: the connect is tried, and fails as for a gateway that is down
        var r = CliRunner.Run(TimeSpan.FromMinutes(1), null, CliRunner.NoClusterEnvironment,
            "status", "--gateway", "no-such-silo.invalid:30000", "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "2");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith($"gradguess: cannot reach the gateways no-such-silo.invalid:30000, 127.0.0.1:{port} (cluster 'gradguess'): ", line);
        Assert.EndsWith("; no-such-silo.invalid:30000 did not resolve", line);   // the connect was tried, and the name is still said
    }
}
