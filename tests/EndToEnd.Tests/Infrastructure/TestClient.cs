using System.Net;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>An in-process Orleans client for the test's own observations (cheap polling); the verbs under test run as
/// CLI processes.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<TestClient> ConnectAsync(string clusterId, string? redis = null, params int[] gatewayPorts)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c =>
        {
            c.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = clusterId; });
            if (redis is not null) c.UseRedisClustering(redis);
            else c.UseStaticClustering(gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestClient(host);
    }

    public Task<SweepStatus?> StatusAsync(string sweep) => Client.GetGrain<ISweepCoordinatorGrain>(sweep).GetStatusAsync();

    /// <summary>Polls the sweep's status until <paramref name="condition"/> holds; riding out transient failures.</summary>
    public async Task<SweepStatus> WaitForAsync(string sweep, Func<SweepStatus, bool> condition, TimeSpan timeout)
    {
        SweepStatus? last = null;
        await Waiting.UntilAsync(async () =>
        {
            last = await StatusAsync(sweep).WaitAsync(TimeSpan.FromSeconds(10));
            return last is not null && condition(last);
        }, timeout, () => $"sweep {sweep}: {Describe(last)}", TimeSpan.FromMilliseconds(200));
        return last!;
    }

    public static string Describe(SweepStatus? s) => s is null ? "no status"
        : $"{s.State}, " + string.Join(", ", s.Cells.Select(c => $"{c.Config.Method}/{c.Config.Optimizer}/{c.Config.LearningRate}/{c.Config.Seed}:{c.State}@{c.Epoch}{(c.Silo is null ? "" : " on " + c.Silo)}"));

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token); }
        catch (Exception) { }
        _host.Dispose();
    }
}
