using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;

namespace GradGuessCluster.Silo.Endpoints;

/// <summary><c>GET /healthz</c>: 200 while the silo is active (with its name, address and the gateway clients use), 503
/// before it joins and once it starts leaving (for probes).</summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapSiloHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (SiloHealth health, ILocalSiloDetails silo) => health.IsActive
            ? Results.Json(new { status = "active", silo = silo.Name, address = silo.SiloAddress.ToString(), gateway = health.Gateway })
            : Results.Json(new { status = "inactive", silo = silo.Name }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
