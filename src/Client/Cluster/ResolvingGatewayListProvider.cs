using System.Net;
using Orleans.Messaging;

namespace GradGuessCluster.Client.Cluster;

/// <summary>
/// The client's gateways as given, host names resolved again each time Orleans asks (every
/// <c>GatewayListRefreshPeriod</c>, and at once when every gateway it knows has failed). A silo that comes back under
/// the same name on another address (a rescheduled pod or container) is followed by a long <c>watch</c>, where a list
/// resolved once at connect kept only the old address. A name that does not resolve at a refresh keeps its last
/// endpoint; one that never resolved joins once it does.
/// </summary>
internal sealed class ResolvingGatewayListProvider : IGatewayListProvider
{
    /// <summary>One refresh's wait per name: the resolver's own retries would hold back the other gateways' refresh.</summary>
    private static readonly TimeSpan ResolveLimit = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<GatewayAddress> _gateways;
    private readonly HostResolver _resolve;
    private readonly Dictionary<GatewayAddress, IPEndPoint> _last;
    private readonly Lock _lock = new();

    /// <param name="resolved">The endpoints found when connecting, each by its gateway.</param>
    public ResolvingGatewayListProvider(IReadOnlyList<GatewayAddress> gateways, IReadOnlyDictionary<IPEndPoint, GatewayAddress> resolved,
        TimeSpan refreshPeriod, HostResolver? resolve = null)
    {
        _gateways = gateways;
        _resolve = resolve ?? GatewayAddress.Dns;
        _last = resolved.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        MaxStaleness = refreshPeriod;
    }

    public TimeSpan MaxStaleness { get; }

    [Obsolete("Orleans no longer reads it: every provider is refreshed")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        foreach (var gateway in _gateways)
        {
            // One not in DNS for now (a pod being rescheduled) keeps its last endpoint listed.
            if ((await gateway.TryResolveAsync(ResolveLimit, _resolve, CancellationToken.None)).Endpoint is { } endpoint)
                lock (_lock) _last[gateway] = endpoint;
        }
        lock (_lock)
            return [.. _gateways.Where(_last.ContainsKey).Select(g => _last[g]).Distinct().Select(e => SiloAddress.New(e, 0).ToGatewayUri())];
    }
}
