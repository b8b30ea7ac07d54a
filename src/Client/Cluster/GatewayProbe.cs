using System.Net;

namespace GradGuessCluster.Client.Cluster;

/// <summary>Plain TCP connects to gateways: tells a gateway that is down from one that answers but refuses the Orleans
/// handshake, which Orleans reports alike ("Unable to connect to any of the N available gateways"). A silo refuses
/// the handshake of a client whose cluster id is not its own, and takes no client before it is active.</summary>
internal static class GatewayProbe
{
    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(1);

    /// <summary>The gateways among <paramref name="gateways"/> that accept a TCP connection.</summary>
    public static async Task<IReadOnlyList<IPEndPoint>> AnsweringAsync(IEnumerable<IPEndPoint> gateways, CancellationToken ct)
    {
        var probes = gateways.Select(async g => (Gateway: g, Answers: await TcpProbe.ConnectErrorAsync(g, ConnectLimit, ct) is null)).ToList();
        return [.. (await Task.WhenAll(probes)).Where(p => p.Answers).Select(p => p.Gateway)];
    }

    /// <param name="answering">The gateways that answer, as the user gave them.</param>
    public static string Refused(IReadOnlyList<string> answering, string clusterId) =>
        $"the gateway{(answering.Count == 1 ? "" : "s")} at {string.Join(", ", answering)} answer{(answering.Count == 1 ? "s" : "")} " +
        $"but did not take a client of cluster '{clusterId}' (is --cluster-id/--service-id the silos'? is the port a silo's " +
        "gateway port, --gateway-port, 30000 by default, not its silo or HTTP port? a silo still starting takes no clients yet either)";
}
