using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>
/// <c>local</c> and the cap on a pack's parameters. A new sweep packs every learning rate together and is judged so
/// before the state directory is touched; a stored sweep may have grown, packing its learning rates apart, and its
/// coordinator judges the packs it formed, so the same spec again is not refused by the client. Nothing trains
/// (<see cref="LocalSpecs.Wide"/>).
/// </summary>
public sealed class LocalPackCapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-local-cap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NewWideSweep_IsRefusedBeforeTheStateDirectoryIsTouched_ExtendOrNot(bool extend)
    {
        var state = Path.Combine(_dir, "state");
        string[] args = ["local", Spec("4", "0.1, 0.01, 0.001, 0.0001"), "--state-dir", state, "--metrics-port", "0"];
        var run = CliRunner.Run(extend ? [.. args, "--extend"] : args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(", 4 learning rates packed together,", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state), "a refused spec left a state directory behind");
    }

    [Fact]
    public async Task SameSpecOfAStoredSweepThatGrew_IsLeftToItsCoordinator()
    {
        var state = Path.Combine(_dir, "state");
        var grown = Spec("4", "0.1, 0.01, 0.001, 0.0001");
        // Stored by a host with no slot, grown [a, b, c] + [d]: packs {a, b, c} and {d}, which fit.
        await using (var host = await LocalSweepHost.StartAsync(new LocalHostOptions(state, MetricsPort: null, CpuSlots: 0, Gpus: 0), CancellationToken.None))
        {
            var coordinator = host.Grains.GetGrain<ISweepCoordinatorGrain>("wide");
            await coordinator.SubmitAsync(SweepSpecParser.ParseFile(Spec("3", "0.1, 0.01, 0.001")));
            await coordinator.ExtendAsync(SweepSpecParser.ParseFile(grown, earlierUnknown: true));
        }

        // The run gets past the spec to the host, which stops it at its taken metrics port, before anything trains.
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var run = CliRunner.Run("local", grown, "--state-dir", state, "--metrics-port", port);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--metrics-port {port}: the port is in use", Assert.Single(run.StderrLines));
    }

    private string Spec(string generation, string learningRates) => LocalSpecs.Wide(_dir, generation, "backprop", learningRates);
}
