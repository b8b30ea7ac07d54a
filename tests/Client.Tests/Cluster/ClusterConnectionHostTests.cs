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
        Assert.IsType<GradGuessCluster.Silo.Hosting.NoSignalLifetime>(lifetime);
        await host.StartAsync();   // and the host still starts and stops with it
        await host.StopAsync();
    }

    [Fact]
    public async Task TheLocalHost_LeavesCtrlCToTheCommandToo()
    {
        // `local` suspends its sweep and stops its silo after the first Ctrl-C (up to a minute and a half): a second one
        // must still end the process.
        var dir = Directory.CreateTempSubdirectory("gg-lifetime-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "state"));
            await using var host = await GradGuessCluster.Client.Local.LocalSweepHost.StartReadOnlyAsync(dir, CancellationToken.None);
            Assert.IsType<GradGuessCluster.Silo.Hosting.NoSignalLifetime>(host.Services.GetRequiredService<IHostLifetime>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
