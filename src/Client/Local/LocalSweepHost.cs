using System.Net;
using System.Net.Sockets;
using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Silo.Hosting;
using GradGuessCluster.Training.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace GradGuessCluster.Client.Local;

/// <summary>
/// The embedded single-silo cluster: localhost clustering on free loopback ports, file grain storage and checkpoints
/// under the state directory, CPU training slots, the silo's logs in a file, and /metrics (Orleans' meter and the
/// product's) on loopback. Callers talk to it through <see cref="Grains"/>.
/// </summary>
internal sealed class LocalSweepHost : IAsyncDisposable
{
    /// <summary>The embedded silo's name (a state directory has one silo at a time).</summary>
    public const string LocalSiloName = "local";

    private readonly IHost _app;
    private readonly StateDirectoryLock? _lock;

    private LocalSweepHost(IHost app, LocalHostOptions options, StateDirectoryLock? stateLock)
    {
        _app = app;
        _lock = stateLock;
        Options = options;
        Grains = app.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    /// <summary>The embedded host's services (tests look at how it is put together).</summary>
    internal IServiceProvider Services => _app.Services;
    public LocalHostOptions Options { get; }

    public static async Task<LocalSweepHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken)
    {
        bool existed = Directory.Exists(options.StateDirectory);
        var stateLock = options.ReadOnly && !options.Deletes ? null : StateDirectoryLock.Acquire(options.StateDirectory);
        try
        {
            // After the lock: a second local on the same directory (and so the same default port) hears about the directory.
            if (options.MetricsPort is { } port && ListeningPorts.Probe(new IPEndPoint(IPAddress.Loopback, port)) is { } problem)
                throw MetricsPortRefused(port, problem);
            // Hosts that write checkpoints or delete them: a reader touches neither.
            if (stateLock is not null) ClaimCheckpoints(options);
            return await StartLockedAsync(options, stateLock, cancellationToken);
        }
        catch
        {
            // Removed while the lock is still held: released first, another run could take the directory in between
            // and lose it to this removal.
            if (!existed && stateLock is not null) RemoveIfOnlyTheLock(options);
            stateLock?.Dispose();
            throw;
        }
    }

    private static void ClaimCheckpoints(LocalHostOptions options)
    {
        HostDirectories.EnsureWritable("--state-dir", options.CheckpointDirectory);
        if (CheckpointOwner.Claim(options.CheckpointDirectory, CheckpointOwner.FileStore(options.CheckpointDirectory, options.GrainStateDirectory)) is { } taken)
            throw new HostDirectoryException($"--state-dir {options.StateDirectory}: its checkpoint directory {options.CheckpointDirectory}: {taken}");
    }

    /// <summary>A run that failed to start leaves no state directory it created for nothing (one holding only its lock, its
    /// checkpoint directory's owner and the log the host began; the failure itself is on stderr).</summary>
    private static void RemoveIfOnlyTheLock(LocalHostOptions options)
    {
        var directory = options.StateDirectory;
        try
        {
            if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                    .All(f => Path.GetFileName(f) is StateDirectoryLock.FileName or CheckpointOwner.FileName || f == options.LogFile))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { /* best effort: the start failure is what the user needs to read */ }
        catch (UnauthorizedAccessException) { }
    }

    private static async Task<LocalSweepHost> StartLockedAsync(LocalHostOptions options, StateDirectoryLock? stateLock, CancellationToken cancellationToken)
    {
        // Kestrel only where /metrics is served: readers and the orchestration bench start a plain host (no listener for
        // nothing; about 50 ms less of every offline `results`, `status` or `export`).
        IHost app;
        if (options.MetricsPort is { } port)
        {
            var web = WebApplication.CreateSlimBuilder();
            Configure(web, options);
            web.WebHost.UseUrls($"http://127.0.0.1:{port}");
            web.Services.AddGradGuessMetrics(Environment.MachineName, service: "gradguess-local");
            var webApp = web.Build();
            webApp.MapPrometheusScrapingEndpoint();
            app = webApp;
        }
        else
        {
            // Empty: no configuration files or environment read from the working directory, nothing watched.
            var plain = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            Configure(plain, options);
            app = plain.Build();
        }
        try
        {
            await app.StartOrStopAsync(cancellationToken);
        }
        catch (Exception e)
        {
            if (app is IAsyncDisposable disposable) await disposable.DisposeAsync();
            else app.Dispose();
            // Another local took the port after it was found free (the check comes seconds before Kestrel binds it).
            if (options.MetricsPort is { } taken && AddressInUse(e)) throw MetricsPortRefused(taken, PortProblem.InUse);
            throw;
        }
        return new LocalSweepHost(app, options, stateLock);
    }

    /// <summary>Why the port cannot serve /metrics, as the silo says it of its own ports: a port below 1024 refused to a
    /// user without the privilege read as taken, and sent them looking for another gradguess local.</summary>
    private static UsageException MetricsPortRefused(int port, PortProblem problem) => new(
        $"--metrics-port {port}: {new TakenPort("--metrics-port", new IPEndPoint(IPAddress.Loopback, port), problem).Why("gradguess local")}; " +
        "choose another with --metrics-port, or --metrics-port 0 for no /metrics");

    private static bool AddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
                return true;
        return false;
    }

    private static void Configure(IHostApplicationBuilder builder, LocalHostOptions options)
    {
        builder.Logging.ClearProviders();
        // Offline readers write nothing into the directory, their log included: appended to the log of the run that
        // holds it, a reader's silo start read as that run's, under the same silo name.
        if (!options.ReadOnly || options.Deletes) builder.Logging.AddProvider(new FileLoggerProvider(options.LogFile, LogLevel.Information));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);   // two lines per grain placement otherwise
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();   // the command handles Ctrl-C, and leaves a second to the runtime
        builder.UseOrleans(silo =>
        {
            var (siloPort, gatewayPort) = FreePorts.Pair();
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "gradguess-local", clusterId: "gradguess-local");
            silo.Configure<SiloOptions>(o => o.SiloName = LocalSiloName);   // said in status and messages: not a random Silo_xxxxx
            silo.AddFileGrainStorage(GradGuessSiloOptions.StorageName, o =>
            {
                o.RootDirectory = options.GrainStateDirectory;
                o.FlushToDisk = options.FlushToDisk;
                // A reader holds no lock: a run writing the directory (even one stopped with Ctrl-Z) owns its temporary files.
                o.RemoveStaleTempFiles = !options.ReadOnly || options.Deletes;
            });
            silo.AddGradGuess(o =>
            {
                o.CheckpointDirectory = options.CheckpointDirectory;
                o.AllowCpuTraining = !options.ReadOnly;
                o.CpuSlots = options.ReadOnly ? 0 : options.CpuSlots;
                o.GpuCount = options.ReadOnly ? 0 : options.Gpus;
                o.SlotsPerGpu = options.SlotsPerGpu;
                o.ThreadsPerCell = options.ThreadsPerCell;
                o.ReadOnly = options.ReadOnly;
                o.AllowDelete = options.ReadOnly && options.Deletes;
                o.WatchdogInterval = TimeSpan.FromSeconds(2);
                o.CheckpointShareCheckInterval = TimeSpan.Zero;   // one silo: nobody to share with
                o.ResumeSweeps = false;   // the sweep it is given (submitted again, it goes on); not the others it holds
            });
            if (options.Trainers is { } trainers) silo.Services.AddSingleton<IPackTrainerFactory>(trainers);
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(30));
        });
    }

    /// <summary>A read-only host for reading a state directory offline (status, results, export, plot --state-dir).</summary>
    /// <param name="option">The option that named the directory, for the message when it is none.</param>
    public static Task<LocalSweepHost> StartReadOnlyAsync(string stateDirectory, CancellationToken cancellationToken, string option = "--state-dir")
    {
        EnsureStateDirectory(stateDirectory, option);
        return StartAsync(new LocalHostOptions(stateDirectory, MetricsPort: null, ReadOnly: true), cancellationToken);
    }

    /// <summary>A read-only host that holds the state directory's lock and may delete sweeps (delete --state-dir).</summary>
    public static Task<LocalSweepHost> StartForDeleteAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        EnsureStateDirectory(stateDirectory);
        return StartAsync(new LocalHostOptions(stateDirectory, MetricsPort: null, ReadOnly: true, Deletes: true), cancellationToken);
    }

    private static void EnsureStateDirectory(string stateDirectory, string option = "--state-dir")
    {
        if (!Directory.Exists(Path.Combine(stateDirectory, "state")))
            throw new UsageException($"{option} {stateDirectory}: not a gradguess state directory (no state/ inside)");
    }

    /// <summary>Stops the silo gracefully: running packs stop at an epoch boundary and checkpoint on the way out.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            if (_app is IAsyncDisposable app) await app.DisposeAsync();   // both hosts are
            else _app.Dispose();
            _lock?.Dispose();
        }
    }
}
