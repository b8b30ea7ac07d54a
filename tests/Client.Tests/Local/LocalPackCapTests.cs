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

    /// <summary>local's memory and checkpoint figures plan a stored sweep's packs as it grew: {a, b, c} and {d}, and with
    /// --extend the added {e} beside them; as one generation they would be one pack of four or five.</summary>
    [Fact]
    public async Task PreflightPlanOfAStoredSweepThatGrew_CountsItsPacksAsTheyGrew()
    {
        var state = Path.Combine(_dir, "state");
        var grown = SweepSpecParser.ParseFile(Spec("4", "0.1, 0.01, 0.001, 0.0001"), earlierUnknown: true);
        var further = SweepSpecParser.ParseFile(Spec("5", "0.1, 0.01, 0.001, 0.0001, 0.00001"), earlierUnknown: true);
        await using var host = await LocalSweepHost.StartAsync(new LocalHostOptions(state, MetricsPort: null, CpuSlots: 0, Gpus: 0), CancellationToken.None);
        var asNew = await LocalPreflight.PlanAsync(host, grown);                       // nothing stored: one pack of four
        Assert.Equal(1, asNew.Grid.Packs);

        var coordinator = host.Grains.GetGrain<ISweepCoordinatorGrain>("wide");
        await coordinator.SubmitAsync(SweepSpecParser.ParseFile(Spec("3", "0.1, 0.01, 0.001")));
        await coordinator.ExtendAsync(grown);

        var stored = await LocalPreflight.PlanAsync(host, grown);
        Assert.Equal(2, stored.Grid.Packs);
        Assert.Equal(asNew.Cost.TrainingBytesPerPack / 4 * 3, stored.Cost.TrainingBytesPerPack);
        var extended = await LocalPreflight.PlanAsync(host, further);
        Assert.Equal(3, extended.Grid.Packs);
        Assert.Equal(stored.Cost.TrainingBytesPerPack, extended.Cost.TrainingBytesPerPack);
    }

    private string Spec(string generation, string learningRates) => LocalSpecs.Wide(_dir, generation, "backprop", learningRates);
}
