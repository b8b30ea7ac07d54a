using System.Net;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Silo.Endpoints;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// The silo host: an ASP.NET Core app (/metrics, /healthz) around an Orleans silo, configured from appsettings.json
/// next to the binary, environment variables and command-line arguments (section <c>GradGuess</c>). Used by
/// <c>src/Silo</c>'s Program and by <c>gradguess silo</c>, so both run exactly this host.
/// </summary>
public static class GradGuessHost
{
    /// <summary>Builds a configured host builder. <paramref name="overrides"/> runs after binding and before validation;
    /// throws <see cref="SiloConfigurationException"/> when the result is unusable.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<SiloHostOptions>? overrides = null) =>
        Configure(args, overrides).Builder;

    /// <returns>Also the options as configuration alone set them (before <paramref name="overrides"/>), so that an error
    /// can name the setting the user actually gave.</returns>
    private static (WebApplicationBuilder Builder, SiloHostOptions Options, ConfiguredDirectories Configured) Configure(string[] args,
        Action<SiloHostOptions>? overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits next to the binary, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        var options = SiloSettingsBinder.Bind(builder.Configuration);
        var configured = new ConfiguredDirectories(options.StateDirectory, options.CheckpointDirectory);
        overrides?.Invoke(options);
        SiloHostOptionsValidator.ThrowIfInvalid(options);

        builder.Services.AddSingleton(options);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.WebHost.ConfigureKestrel(k => k.Listen(HttpAddress(options.HttpAddress), options.HttpPort));
        // Registered before the silo, so Redis/PostgreSQL are reachable (or the start fails clearly) before Orleans starts.
        builder.Services.AddHostedService<StartupConnectivityCheck>();
        builder.Services.AddHostedService<LastSiloShutdown>();
        builder.Services.AddSingleton<SiloHealth>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloHealth>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SiloHealth>());   // for its stopping phase
        builder.Services.AddGradGuessMetrics(options.ResolvedSiloName);

        builder.UseOrleans(silo =>
        {
            ClusteringSetup.Configure(silo, options, builder.Configuration);
            StorageSetup.Configure(silo, options);
            // Graceful stop: running cells stop at an epoch boundary and checkpoint in their deactivation.
            silo.Configure<GrainCollectionOptions>(g => g.DeactivationTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
            if (options.SimulateGpus)
                silo.Services.AddSingleton<IPackTrainerFactory>(new SimulatedGpuTrainerFactory(new PackTrainerFactory(), options.ThreadsPerCell));
            silo.AddGradGuess(g =>
            {
                g.CheckpointDirectory = Path.GetFullPath(options.ResolvedCheckpointDirectory);
                g.GpuCount = options.GpuCount;
                g.SlotsPerGpu = options.SlotsPerGpu;
                g.AllowCpuTraining = options.AllowCpuTraining;
                g.CpuSlots = options.CpuSlots ?? SiloSlots.DefaultCpuSlots(options.ThreadsPerCell, options.GpuCount ?? TorchRuntime.CudaDeviceCount());
                g.CpuTrainingMemoryBytes = options.CpuTrainingMemoryBytes;
                g.MachineMemoryCheck = options.MachineMemoryCheck;
                g.ThreadsPerCell = options.ThreadsPerCell;
                g.CheckpointShareCheckInterval = TimeSpan.FromSeconds(options.CheckpointShareCheckSeconds);
                g.PreemptAfter = TimeSpan.FromSeconds(options.PreemptAfterSeconds);
            });
        });
        return (builder, options, configured);
    }

    /// <summary>Builds the app and maps its endpoints: <c>/metrics</c> (Prometheus) and <c>/healthz</c>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapSiloHealth();
        return app;
    }

    /// <summary>Runs the host until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; stops gracefully. Before it
    /// starts, takes the state directory's lock (file storage) and checks the directories: a problem with either throws
    /// <see cref="HostDirectoryException"/>; then checks that its ports are free, else throws <see cref="PortInUseException"/>.</summary>
    public static async Task RunAsync(string[] args, Action<SiloHostOptions>? overrides = null, CancellationToken cancellationToken = default)
    {
        var (builder, options, configured) = Configure(args, overrides);
        // File storage keeps grain state under the state directory: one host per directory, for the silo's lifetime.
        // Redis and PostgreSQL silos keep nothing there; the checkpoint volume they share is not locked.
        var stateByOption = options.StateDirectory != configured.StateDirectory;
        using var stateLock = options.Storage == StorageKinds.File
            ? StateDirectoryLock.Acquire(options.StateDirectory, SettingName("--state-dir", nameof(options.StateDirectory), stateByOption))
            : null;
        // Unset, the checkpoint directory lies under the state directory: whoever set that one chose it.
        var checkpointByOption = options.CheckpointDirectory is null ? stateByOption : options.CheckpointDirectory != configured.CheckpointDirectory;
        var checkpointSetting = SettingName("--checkpoint-dir", nameof(options.CheckpointDirectory), checkpointByOption);
        HostDirectories.EnsureWritable(checkpointSetting, options.ResolvedCheckpointDirectory);
        var store = options.Storage == StorageKinds.File
            ? CheckpointOwner.FileStore(options.ResolvedCheckpointDirectory, options.ResolvedStorageDirectory)
            : CheckpointOwner.SharedStore(options.Storage, options.ServiceId);
        if (CheckpointOwner.Claim(options.ResolvedCheckpointDirectory, store, out var claimed) is { } taken)
            throw new HostDirectoryException($"{checkpointSetting} {Path.GetFullPath(options.ResolvedCheckpointDirectory)}: {taken}");
        // A caller with a token of its own is a gradguess command, whose handler stops the silo on the first signal and
        // leaves a second to the runtime; the standalone silo keeps the console lifetime, which stops it on SIGTERM.
        if (cancellationToken.CanBeCanceled) builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        await using var app = Build(builder);
        try
        {
            // Built, not started: the endpoints are resolved as the host will listen on them.
            ListeningPorts.ThrowIfTaken(app.Services, options, HttpAddress(options.HttpAddress));
            await app.StartOrStopAsync(cancellationToken);
        }
        catch
        {
            // A start that failed (a store refusing its password, a port taken) trained nothing there: a claim it made
            // would refuse its next start, with another store or service id put right, as another store's.
            if (claimed) CheckpointOwner.Unclaim(options.ResolvedCheckpointDirectory);
            throw;
        }
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>How an error names a setting: by its option when <c>gradguess silo</c>'s command line set it, else by the
    /// configuration key (appsettings.json, <c>GradGuess__*</c> variables, <c>--GradGuess:Key=value</c>) it came from.</summary>
    private static string SettingName(string option, string key, bool setByOption) =>
        setByOption ? option : $"{SiloHostOptions.SectionName}:{key}";

    private sealed record ConfiguredDirectories(string StateDirectory, string? CheckpointDirectory);

    private static IPAddress HttpAddress(string address) => address == "*" ? IPAddress.Any : IPAddress.Parse(address);
}
