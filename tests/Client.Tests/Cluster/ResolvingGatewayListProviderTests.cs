using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Client.Cluster;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary>The client's gateway list re-resolves names at each refresh. DNS is stood in for by a table the test
/// changes (a name moving is what a rescheduled pod does); GatewayFollowTests follows a real silo that way.</summary>
public sealed class ResolvingGatewayListProviderTests
{
    private readonly Dictionary<string, string> _dns = new();
    private readonly List<string> _asked = [];

    private Task<IPAddress[]> Resolve(string host, CancellationToken ct)
    {
        lock (_asked) _asked.Add(host);
        return _dns.TryGetValue(host, out var ip)
            ? Task.FromResult(new[] { IPAddress.Parse(ip) })
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }

    private ResolvingGatewayListProvider Provider(GatewayAddress[] gateways, params (string Ip, GatewayAddress Gateway)[] resolved) =>
        new(gateways, resolved.ToDictionary(r => new IPEndPoint(IPAddress.Parse(r.Ip), r.Gateway.Port), r => r.Gateway),
            TimeSpan.FromMinutes(1), Resolve);

    private static async Task<string[]> ListedAsync(ResolvingGatewayListProvider provider) =>
        [.. (await provider.GetGateways()).Select(u => $"{u.Host}:{u.Port}")];

    [Fact]
    public async Task AName_ThatResolvesElsewhereNow_IsListedAtItsNewAddressOnly()
    {
        var silo = new GatewayAddress("silo-0.gradguess", 30000);
        var provider = Provider([silo], ("10.0.0.5", silo));
        _dns["silo-0.gradguess"] = "10.0.0.9";

        Assert.Equal(["10.0.0.9:30000"], await ListedAsync(provider));
    }

    [Fact]
    public async Task AName_ThatDoesNotResolveForNow_KeepsItsLastAddress_AndOneNeverResolved_JoinsOnceItDoes()
    {
        GatewayAddress a = new("silo-a", 30000), b = new("silo-b", 30001);
        var provider = Provider([a, b], ("10.0.0.5", a));   // b was not in DNS yet when the client connected

        Assert.Equal(["10.0.0.5:30000"], await ListedAsync(provider));
        _dns["silo-b"] = "10.0.0.6";
        Assert.Equal(["10.0.0.5:30000", "10.0.0.6:30001"], await ListedAsync(provider));
        Assert.Equal(2, _asked.Count(h => h == "silo-a"));   // tried at each refresh all the same
    }

    [Fact]
    public async Task AnIpAddress_IsListedAsGiven_WithoutAskingDns()
    {
        GatewayAddress ip = new("127.0.0.1", 30000), v6 = new("::1", 30001);
        var provider = Provider([ip, v6], ("127.0.0.1", ip), ("::1", v6));

        Assert.Equal(["127.0.0.1:30000", "[::1]:30001"], await ListedAsync(provider));
        Assert.Empty(_asked);
    }

    [Fact]
    public async Task TwoNames_ForOneEndpoint_ListItOnce()
    {
        GatewayAddress a = new("silo", 30000), b = new("silo.cluster.local", 30000);
        _dns["silo"] = _dns["silo.cluster.local"] = "10.0.0.5";

        Assert.Equal(["10.0.0.5:30000"], await ListedAsync(Provider([a, b])));
    }
}
