using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A started Orleans client connected to a running cluster; dispose to disconnect.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>The client host's builder, before Orleans: no logging but the CLI's own, and no console lifetime. That one
    /// marks every SIGINT and SIGTERM handled, so while a command was connected a second Ctrl-C no longer ended the process
    /// (Interruption leaves later signals to the runtime).</summary>
    internal static HostApplicationBuilder NewHostBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();   // the CLI writes only through Rendering
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        return builder;
    }

    /// <summary>Connects, retrying gateways that do not resolve or answer until <paramref name="timeout"/>; then throws
    /// <see cref="ClusterUnavailableException"/> naming the address. With Redis, first checks that the cluster is
    /// registered there (<see cref="RedisMembership"/>): no such cluster → <see cref="UsageException"/>. Gateway names are
    /// resolved by <paramref name="resolve"/> (DNS unless a test says otherwise), again at each gateway list refresh.</summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterAddress address, TimeSpan timeout, CancellationToken cancellationToken,
        HostResolver? resolve = null)
    {
        var deadline = ConnectDeadline.After(timeout);
        if (address.Redis is { } redis)
            await RedisMembership.EnsureRegisteredAsync(redis, address.ClusterId, address.ServiceId, deadline, cancellationToken);
        var (resolved, unresolved) = address.Redis is null
            ? await GatewayAddress.ResolveAnyAsync(address, deadline, cancellationToken, resolve)
            : (new Dictionary<System.Net.IPEndPoint, GatewayAddress>(), Array.Empty<GatewayAddress>());
        var gateways = resolved.Keys.ToList();
        Exception? last = null;
        IReadOnlyList<System.Net.IPEndPoint> answering = [];
        var builder = NewHostBuilder();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => { o.ClusterId = address.ClusterId; o.ServiceId = address.ServiceId; });
            if (address.Redis is { } r)
                client.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = r.Options.Clone();
                    o.ConfigurationOptions.ConnectTimeout = deadline.AttemptMilliseconds;
                });
            else
                client.Services.AddSingleton<IGatewayListProvider>(sp => new ResolvingGatewayListProvider(address.Gateways, resolved,
                    sp.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod, resolve));
            client.UseConnectionRetryFilter(async (exception, ct) =>
            {
                last = exception;
                // Retried to the deadline even when a gateway answers TCP: a starting silo listens before it accepts
                // clients (Orleans binds the gateway early and accepts once active), so an open port alone does not
                // mean a wrong cluster id. The probe only shapes the final message.
                if (address.Redis is null) answering = await GatewayProbe.AnsweringAsync(gateways, ct);
                return await deadline.BeforeRetryAsync(ct);
            });
        });
        var host = builder.Build();
        // Orleans' own waits (its Redis gateway list provider, the gateway handshake) do not know our deadline.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (deadline.Left + ConnectDeadline.RetryDelay).Ticks)));
        try
        {
            await host.StartAsync(limit.Token).WaitAsync(limit.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            try { host.Dispose(); } catch (Exception) { /* a host stopped mid-start may throw; we are failing anyway */ }
            if (answering.Count > 0)
                throw new ClusterUnavailableException(GatewayProbe.Refused([.. answering.Select(a => resolved[a].ToString())], address.ClusterId), e);
            var reason = last is not null ? Failures.OneLine(last.Message)
                : e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s"
                : Failures.OneLine(e.Message);
            var leftOut = unresolved.Count == 0 ? "" : $"; {string.Join(", ", unresolved)} did not resolve";
            throw new ClusterUnavailableException($"cannot reach {address.Describe()}: {reason}{leftOut}{FullRedisHint(address, reason)}", e);
        }
    }

    /// <summary>Orleans' Redis gateway list provider writes as it starts, which a Redis at its maxmemory refuses: the
    /// client cannot connect through it, and the silos cannot store epochs either (status, read through a gateway,
    /// shows them standing still).</summary>
    private static string FullRedisHint(ClusterAddress address, string reason) =>
        address.Redis is not null && reason.StartsWith("OOM ", StringComparison.Ordinal)
            ? $"; Redis is full: raise its maxmemory or free memory (the silos cannot store their epochs meanwhile), or reach a silo with --gateway HOST:{ClusterConnectionOptions.DefaultGatewayPort} instead of --redis to see the sweep"
            : "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(stop.Token);
        }
        catch (Exception) { /* disconnecting is best effort */ }
        _host.Dispose();
    }
}
