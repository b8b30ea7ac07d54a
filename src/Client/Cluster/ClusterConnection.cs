using GradGuessCluster.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace GradGuessCluster.Client.Cluster;

/// <summary>A started Orleans client connected to a running cluster; dispose to disconnect.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects, retrying unreachable gateways until <paramref name="timeout"/>; then throws
    /// <see cref="ClusterUnavailableException"/> naming the address.</summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();   // the CLI writes only through Rendering
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => { o.ClusterId = address.ClusterId; o.ServiceId = address.ServiceId; });
            if (address.Redis is not null)
                client.UseRedisClustering(r => r.ConfigurationOptions = ConfigurationOptions.Parse(address.Redis));
            else
                client.UseStaticClustering([.. address.Gateways]);
            client.UseConnectionRetryFilter(async (exception, ct) =>
            {
                last = exception;
                if (DateTime.UtcNow + TimeSpan.FromMilliseconds(500) >= deadline) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                return true;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            var reason = Failures.OneLine((last ?? e).Message);
            throw new ClusterUnavailableException($"cannot reach {address.Describe()}: {reason}", e);
        }
    }

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
