using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;
using System.Net;
using GradGuessCluster.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GradGuessCluster.Client.Tests.Silo;

/// <summary>/healthz of a real silo host while the host stops: the last silo first suspends its sweeps (its cells stop
/// and checkpoint), which can take a while, and it still serves HTTP meanwhile; a readiness probe must not read it as
/// ready then.</summary>
public sealed class SiloHealthStoppingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-health-").FullName;

    [Fact]
    public async Task Healthz_Says503FromTheHostsStoppingPhase_WhileHttpIsStillServed()
    {
        int http = FreePorts.Next();
        var builder = GradGuessHost.CreateBuilder([], o =>
        {
            o.StateDirectory = Path.Combine(_dir, "state");
            o.AllowCpuTraining = true;
            o.HttpPort = http;
            o.SiloPort = FreePorts.Next();
            o.GatewayPort = FreePorts.Next();
            o.ClusterId = o.ServiceId = "health-" + Guid.NewGuid().ToString("N")[..8];
        });
        // Stopping phases run in reverse order of registration: registered first, this one's runs after the host's own
        // (the suspend included) and holds the stop there, before Kestrel stops in the stop phase.
        var hold = new HoldInStopping();
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(hold));
        await using var app = GradGuessHost.Build(builder);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var healthz = $"http://127.0.0.1:{http}/healthz";

        await app.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(healthz)).StatusCode);
        var stopping = app.StopAsync();
        await hold.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var during = await client.GetAsync(healthz);
        hold.Release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Contains("\"inactive\"", await during.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class HoldInStopping : HostPhaseService
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task StoppingAsync(CancellationToken cancellationToken)
        {
            Reached.SetResult();
            await Release.Task;
        }
    }
}
