using GradGuessCluster.Grains.Hosting;
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
internal static class StorageSetup
{
    private const string InnerName = GradGuessSiloOptions.StorageName + ".provider";

    public static void Configure(ISiloBuilder silo, SiloHostOptions o)
    {
        switch (o.Storage)
        {
            case StorageKinds.File:
                silo.AddFileGrainStorage(InnerName, f => f.RootDirectory = Path.GetFullPath(o.ResolvedStorageDirectory));
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
            new ResilientGrainStorage(
                o.Storage == StorageKinds.Postgres
                    ? new LeadingZeroKeyGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(InnerName))
                    : sp.GetRequiredKeyedService<IGrainStorage>(InnerName),
                ResiliencePipelines.Storage(sp.GetRequiredService<ILoggerFactory>().CreateLogger<ResilientGrainStorage>()),
                // Orleans' ADO.NET provider serializes in its command's parameter callback, after opening the connection.
                o.Storage == StorageKinds.Postgres ? sp.GetRequiredService<DeepCopier>() : null));
    }
}
