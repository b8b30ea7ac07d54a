using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>Cluster identity, membership (localhost, Redis or PostgreSQL), endpoints and Kubernetes hosting.</summary>
internal static class ClusteringSetup
{
    /// <summary>Section bound onto Orleans' <see cref="ClusterMembershipOptions"/> (e.g. <c>ProbeTimeout</c>,
    /// <c>NumMissedProbesLimit</c>: tests lower them so a killed silo is declared dead in seconds).</summary>
    public const string MembershipSection = SiloHostOptions.SectionName + ":" + MembershipKey;

    /// <summary>The key of that section inside <c>GradGuess</c>.</summary>
    public const string MembershipKey = "Membership";

    public static void Configure(ISiloBuilder silo, SiloHostOptions o, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(c => { c.ClusterId = o.ClusterId; c.ServiceId = o.ServiceId; });
        silo.Configure<SiloOptions>(s => s.SiloName = o.ResolvedSiloName);
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));

        switch (o.Clustering)
        {
            case ClusteringKinds.Localhost:
                silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, primarySiloEndpoint: null, o.ServiceId, o.ClusterId);
                // Advertised on loopback, but reachable through a container's published ports when asked to listen on
                // every interface (the images set ListenOnAnyAddress).
                if (o.ListenOnAnyAddress)
                    silo.Configure<EndpointOptions>(e =>
                    {
                        e.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, o.SiloPort);
                        e.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, o.GatewayPort);
                    });
                return;
            case ClusteringKinds.Redis:
                silo.UseRedisClustering(r => r.ConfigurationOptions = ConfigurationOptions.Parse(o.Redis!));
                break;
            case ClusteringKinds.Postgres:
                silo.UseAdoNetClustering(a => { a.Invariant = "Npgsql"; a.ConnectionString = o.Postgres; });
                break;
        }

        if (o.Kubernetes)
        {
            // Kubernetes hosting takes the advertised address from POD_IP and the silo name from POD_NAME; ports stay ours.
            silo.Configure<EndpointOptions>(e => { e.SiloPort = o.SiloPort; e.GatewayPort = o.GatewayPort; });
            silo.UseKubernetesHosting();
        }
        else if (o.AdvertisedIp is null)
            silo.ConfigureEndpoints(o.SiloPort, o.GatewayPort, AddressFamily.InterNetwork, o.ListenOnAnyAddress);
        else if (IPAddress.TryParse(o.AdvertisedIp, out var ip))
            silo.ConfigureEndpoints(ip, o.SiloPort, o.GatewayPort, o.ListenOnAnyAddress);
        else
            silo.ConfigureEndpoints(o.AdvertisedIp, o.SiloPort, o.GatewayPort, AddressFamily.InterNetwork, o.ListenOnAnyAddress);
    }
}
