using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Training.Loop;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>An in-process cluster with the sweep grains, file storage in a temp directory shared by its silos, a trainer
/// factory of the test's choosing, and short timeouts so that dead silos and stale packs are noticed quickly.</summary>
public sealed class SweepCluster : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private SweepCluster(InProcessTestCluster cluster, string directory, bool ownsDirectory)
    {
        Cluster = cluster;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public InProcessTestCluster Cluster { get; }
    public string Directory { get; }
    public string StateDirectory => Path.Combine(Directory, "state");
    public string CheckpointDirectory => Path.Combine(Directory, "checkpoints");
    public IClusterClient Client => Cluster.Client;

    public ISweepCoordinatorGrain Sweep(string name) => Client.GetGrain<ISweepCoordinatorGrain>(name);

    /// <param name="silos">One entry per silo (Silo_0, Silo_1, ...).</param>
    /// <param name="trainers">The trainer factory of each silo, by silo name.</param>
    /// <param name="directory">Reuse a state directory (a restart); null = a fresh temp directory, deleted on dispose.</param>
    /// <param name="configure">Changes to every silo's options after the defaults above.</param>
    /// <param name="later">What a silo started after these (<c>StartAdditionalSiloAsync</c>) offers; null = no training.</param>
    /// <param name="services">More services for every silo (a log capture).</param>
    public static async Task<SweepCluster> StartAsync(IReadOnlyList<SiloSpec> silos, Func<string, IPackTrainerFactory> trainers,
        string? directory = null, string serviceId = "gradguess-tests", Action<GradGuessSiloOptions>? configure = null, SiloSpec? later = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = directory is null;
        directory ??= Path.Combine(Path.GetTempPath(), "gg-grains-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var builder = new InProcessTestClusterBuilder((short)silos.Count);
        builder.Options.ConfigureFileLogging = false;
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((options, silo) =>
        {
            var index = int.Parse(options.SiloName.Split('_')[1], System.Globalization.CultureInfo.InvariantCulture);
            var spec = index < silos.Count ? silos[index] : later ?? SiloSpec.NoTraining;
            silo.AddFileGrainStorage(GradGuessSiloOptions.StorageName, o => o.RootDirectory = Path.Combine(directory, "state"));
            silo.AddGradGuess(o =>
            {
                o.GpuCount = spec.Gpus;
                o.AllowCpuTraining = spec.CpuTraining;
                o.CpuSlots = spec.CpuSlots;
                o.CpuTrainingMemoryBytes = spec.CpuMemoryBytes;
                o.CheckpointDirectory = Path.Combine(directory, "checkpoints");
                o.WatchdogInterval = TimeSpan.FromMilliseconds(500);
                configure?.Invoke(o);
            });
            silo.Services.AddSingleton(trainers(options.SiloName));
            if (spec.MachineFreeBytes is { } free)   // replaces the silo's own admission: the same budget, a machine of this much free
                silo.Services.AddSingleton(new CpuPackMemory(spec.CpuMemoryBytes ?? CpuPackMemory.MachineBytes, () => free));
            services?.Invoke(silo.Services);
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        builder.ConfigureClient(c => c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var result = new SweepCluster(cluster, directory, owns);
        await result.WaitForMetadataAsync();
        return result;
    }

    /// <summary>Silo metadata propagates asynchronously; placement treats a silo without it as offering nothing.</summary>
    public async Task WaitForMetadataAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var silos = Cluster.GetActiveSilos().ToList();
            if (silos.All(s => silos.All(o => s.ServiceProvider.GetRequiredService<ISiloMetadataCache>()
                    .GetSiloMetadata(o.SiloAddress).Metadata.ContainsKey("gpu.count"))))
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException("silo metadata did not propagate");
    }

    public Task<SweepStatus> WaitForFinishAsync(string sweep, TimeSpan timeout) =>
        WaitForAsync(sweep, s => s.IsFinished, timeout, "did not finish");

    /// <summary>Waits until the registry lists <paramref name="sweep"/> as completed: it is told once the ledger's write
    /// is done, a moment after status shows the state.</summary>
    public async Task WaitForRegistryCompletedAsync(string sweep, TimeSpan timeout)
    {
        var registry = Client.GetGrain<ISweepRegistryGrain>(0);
        for (var until = DateTime.UtcNow + timeout; (await registry.ListAsync()).Single(s => s.Name == sweep).State != SweepState.Completed;
             await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, "the registry never learned that the sweep completed");
    }

    /// <summary>Waits until the sweep's stored ledger (its file, not the activation's copy) holds <paramref name="epoch"/>
    /// as its furthest cell's last epoch: a running cell's epochs are written on the coordinator's watchdog tick.</summary>
    public async Task WaitForStoredEpochAsync(string sweep, int epoch, TimeSpan timeout)
    {
        var ledger = Path.Combine(StateDirectory, "gg-sweep", sweep + ".sweep.state");
        var stored = 0;
        for (var until = DateTime.UtcNow + timeout; (stored = StoredLastEpoch(ledger)) < epoch; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < until, $"sweep {sweep}'s stored ledger stayed at epoch {stored}, not {epoch}");
        Assert.Equal(epoch, stored);
    }

    private static int StoredLastEpoch(string ledger) =>
        File.Exists(ledger)
            ? System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(ledger), "\"LastEpoch\":\\s*(\\d+)")
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max()
            : 0;

    /// <summary>Polls the sweep's status until <paramref name="condition"/> holds (calls wake the coordinator, so not for
    /// tests of resuming by itself); on timeout throws with <paramref name="failure"/> and the last cell counts.</summary>
    /// <remarks>A call lost with a killed silo (it held the coordinator, was the client's gateway, or the call was in
    /// flight to it) is ridden out as <c>watch</c> does: Orleans answers it only when the response timeout runs out, or
    /// fails it at once when the gateway is gone. CI runs failed on each.
    /// A coordinator that never answers still fails here, at the deadline, with the last error.</remarks>
    public async Task<SweepStatus> WaitForAsync(string sweep, Func<SweepStatus, bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepStatus? status = null;
        Exception? lost = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                status = await Sweep(sweep).GetStatusAsync();
                lost = null;
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                                          or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                lost = e;
                await Task.Delay(100);
                continue;
            }
            if (status is not null && condition(status)) return status;
            await Task.Delay(20);
        }
        throw new TimeoutException($"sweep {sweep} {failure}: " +
            (status is null ? "no status" : string.Join(", ", CellStates.All.Select(s => $"{s.Name()} {status.Count(s)}"))) +
            (lost is null ? "" : $"; the last call failed: {lost.Message}"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        catch (Exception)
        {
            // a test may have killed silos already
        }
        await Cluster.DisposeAsync();
        if (_ownsDirectory)
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
