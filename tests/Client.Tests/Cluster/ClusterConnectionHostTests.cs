using GradGuessCluster.Client.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GradGuessCluster.Client.Tests.Cluster;

public sealed class ClusterConnectionHostTests
{
    [Fact]
    public async Task TheClientHost_LeavesCtrlCToTheCommand()
    {
        // The default console lifetime marks every SIGINT and SIGTERM handled while the host runs: with a command
        // connected to a cluster, a second Ctrl-C (which Interruption leaves to the runtime) no longer ended the process.
        using var host = ClusterConnection.NewHostBuilder().Build();
        var lifetime = host.Services.GetRequiredService<IHostLifetime>();
        Assert.IsNotType<Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>(lifetime);
        await host.StartAsync();   // and the host still starts and stops with it
        await host.StopAsync();
    }
}
