using System.Net;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.EndToEnd.Tests.Infrastructure;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>
/// A client given its gateway by name follows the silo when it comes back on another address under that name (a
/// rescheduled pod or container): real silo processes on two loopback addresses, clustered through a real redis-server,
/// and one client connection kept throughout, as a long <c>watch</c> keeps it. DNS is the one stand-in: the name's entry
/// is a field the test changes, read by the client's resolver.
/// </summary>
[Trait("Category", "EndToEnd"), Collection(ClusterCollection.Name)]
public sealed class GatewayFollowEndToEndTests
{
    private const string Name = "moving-silo";
    private volatile string _address = "127.0.0.2";

    private Task<IPAddress[]> Resolve(string host, CancellationToken ct) =>
        host == Name ? Task.FromResult(new[] { IPAddress.Parse(_address) }) : GatewayAddress.Dns(host, ct);

    [Fact]
    public async Task AClientGivenAGatewayByName_FollowsTheSiloToItsNewAddress()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new TempDirectory("gg-follow");
        var cluster = ClusterArgs.Redis(redis);
        var (checkpoints, gatewayPort) = (dir.Combine("checkpoints"), FreePorts.Next());
        var address = new ClusterAddress([new GatewayAddress(Name, gatewayPort)], null, cluster.ClusterId, cluster.ClusterId);

        ClusterConnection connection;
        using (var first = SiloProcess.Start("follow-a", dir, cluster.SiloArgs(checkpoints, "127.0.0.2"), gatewayPort: gatewayPort))
        {
            await first.WaitActiveAsync(TimeSpan.FromSeconds(90));
            connection = await ClusterConnection.ConnectAsync(address, TimeSpan.FromSeconds(30), CancellationToken.None, Resolve);
            await connection.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync();
            Assert.True(first.Process.Terminate(TimeSpan.FromSeconds(60)), "silo follow-a did not stop");
        }
        await using var _ = connection;

        _address = "127.0.0.3";
        using var second = SiloProcess.Start("follow-b", dir, cluster.SiloArgs(checkpoints, "127.0.0.3"), gatewayPort: gatewayPort);
        await second.WaitActiveAsync(TimeSpan.FromSeconds(90));
        Exception? last = null;
        await Waiting.UntilAsync(async () =>
        {
            try
            {
                // Bounded: a call meeting no gateway may wait out the client's response timeout.
                await connection.Client.GetGrain<ISweepRegistryGrain>(0).ListAsync().WaitAsync(TimeSpan.FromSeconds(5));
                return true;
            }
            catch (Exception e)
            {
                last = e;
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => $"the client never reached the silo at 127.0.0.3: {last?.Message}", TimeSpan.FromMilliseconds(500));
    }
}
