using GradGuessCluster.Grains.Hosting;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace GradGuessCluster.Silo.Hosting;

/// <summary>
/// Registers the grain storage named <see cref="GradGuessSiloOptions.StorageName"/>: the chosen provider under an inner
/// name, wrapped in <see cref="ResilientGrainStorage"/> for transient connection failures.
/// </summary>
public static class StorageSetup
{
    private const string InnerName = GradGuessSiloOptions.StorageName + ".provider";

    /// <summary>The file storage's options from the host's.</summary>
    public static void ConfigureFile(SiloHostOptions o, FileGrainStorageOptions f)
    {
        f.RootDirectory = Path.GetFullPath(o.ResolvedStorageDirectory);
        f.FlushToDisk = o.FlushToDisk;
    }

    public static void Configure(ISiloBuilder silo, SiloHostOptions o)
    {
        switch (o.Storage)
        {
            case StorageKinds.File:
                silo.AddFileGrainStorage(InnerName, f => ConfigureFile(o, f));
                break;
            case StorageKinds.Redis:
                // Deleting a sweep clears its states: remove the keys and rows rather than keep empty ones forever.
                silo.AddRedisGrainStorage(InnerName, r =>
                {
                    r.ConfigurationOptions = ConfigurationOptions.Parse(o.Redis!);
                    r.DeleteStateOnClear = true;
                });
                break;
            case StorageKinds.Postgres:
                silo.AddAdoNetGrainStorage(InnerName, a =>
                {
                    a.Invariant = "Npgsql";
                    a.ConnectionString = o.Postgres;
                    a.DeleteStateOnClear = true;
                });
                break;
        }
        silo.Services.AddKeyedSingleton<IGrainStorage>(GradGuessSiloOptions.StorageName, (sp, _) =>
        {
            var provider = sp.GetRequiredKeyedService<IGrainStorage>(InnerName);
            var pipeline = ResiliencePipelines.Storage(sp.GetRequiredService<ILoggerFactory>().CreateLogger<ResilientGrainStorage>());
            // Orleans' ADO.NET provider files hex-looking keys by their integer, and serializes in its command's parameter
            // callback, after opening the connection.
            return o.Storage == StorageKinds.Postgres
                ? new ResilientGrainStorage(new LeadingZeroKeyGrainStorage(provider), pipeline, sp.GetRequiredService<DeepCopier>())
                : new ResilientGrainStorage(provider, pipeline);
        });
    }
}
