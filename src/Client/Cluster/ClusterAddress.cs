namespace GradGuessCluster.Client.Cluster;

/// <summary>How the client finds a running cluster: static gateways, or Redis membership (gateways discovered), plus
/// the cluster's identity, which must match the silos'.</summary>
internal sealed record ClusterAddress(IReadOnlyList<GatewayAddress> Gateways, RedisAddress? Redis, string ClusterId, string ServiceId)
{
    public string Describe() => Redis is not null
        ? $"the cluster '{ClusterId}' registered in Redis {Redis.EndPoints}"
        : $"the gateway{(Gateways.Count == 1 ? "" : "s")} {string.Join(", ", Gateways)} (cluster '{ClusterId}')";
}
