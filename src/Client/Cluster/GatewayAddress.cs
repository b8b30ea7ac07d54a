using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Grains.Interfaces;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A host name's addresses (<see cref="GatewayAddress.Dns"/>, or a test's stand-in for DNS).</summary>
internal delegate Task<IPAddress[]> HostResolver(string host, CancellationToken ct);

/// <summary>A gateway as given: an IP address, or a host name resolved when connecting, within <c>--connect-timeout</c>,
/// and again at each refresh of the client's gateway list (<see cref="ResolvingGatewayListProvider"/>). A compose service
/// or Kubernetes pod starting beside the client has no DNS entry for a moment, which the client waits out as it waits out
/// a gateway not listening yet.</summary>
internal sealed record GatewayAddress(string Host, int Port)
{
    public static readonly HostResolver Dns = System.Net.Dns.GetHostAddressesAsync;

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The endpoint, IPv4 preferred; a host name that does not resolve (yet) → <see cref="SocketException"/>.</summary>
    public async Task<IPEndPoint> ResolveAsync(CancellationToken ct, HostResolver? resolve = null)
    {
        if (IPAddress.TryParse(Host, out var ip)) return new IPEndPoint(ip, Port);
        var addresses = await (resolve ?? Dns)(Host, ct);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(address, Port);
    }

    /// <summary>One try, bounded by <paramref name="limit"/> (the resolver's own retries can outlast it): the endpoint, or
    /// why there is none. Only <paramref name="ct"/> itself cancelling throws.</summary>
    public async Task<(IPEndPoint? Endpoint, string? Problem)> TryResolveAsync(TimeSpan limit, HostResolver? resolve, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(limit);
        try { return (await ResolveAsync(bounded.Token, resolve), null); }
        catch (SocketException e) { return (null, e.Message); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return (null, "no answer from DNS in time"); }
    }

    /// <summary>The address's gateways that resolve, each by its endpoint, and those that do not: those of the first try
    /// where any does (one name not in DNS yet keeps the client from none that are); retried until the deadline where none
    /// does, then <see cref="ClusterUnavailableException"/> naming them.</summary>
    public static async Task<(IReadOnlyDictionary<IPEndPoint, GatewayAddress> Endpoints, IReadOnlyList<GatewayAddress> Unresolved)> ResolveAnyAsync(
        ClusterAddress address, ConnectDeadline deadline, CancellationToken ct, HostResolver? resolve = null)
    {
        var gateways = address.Gateways;
        while (true)
        {
            var unresolved = new List<(GatewayAddress Gateway, string Reason)>();
            var endpoints = new Dictionary<IPEndPoint, GatewayAddress>();
            foreach (var g in gateways)
            {
                var (endpoint, problem) = await g.TryResolveAsync(TimeSpan.FromMilliseconds(deadline.AttemptMilliseconds), resolve, ct);
                if (endpoint is not null) endpoints.TryAdd(endpoint, g);
                else unresolved.Add((g, problem!));
            }
            if (endpoints.Count > 0) return (endpoints, [.. unresolved.Select(u => u.Gateway)]);
            if (!await deadline.BeforeRetryAsync(ct))
                throw new ClusterUnavailableException($"cannot reach {address.Describe()}: " +
                    string.Join("; ", unresolved.Select(u => $"host '{u.Gateway.Host}' does not resolve ({Failures.OneLine(u.Reason)})")));
        }
    }
}
