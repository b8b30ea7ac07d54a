using GradGuessCluster.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Hosting;

/// <summary>Registers <see cref="FileGrainStorage"/> under a name (shaped like Orleans' Redis provider).</summary>
public static class FileGrainStorageExtensions
{
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        builder.Services.AddFileGrainStorage(name, ob => ob.Configure(configure));
        return builder;
    }

    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<FileGrainStorageOptions>>? configure = null)
    {
        builder.Services.AddFileGrainStorage(name, configure);
        return builder;
    }

    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name,
        Action<OptionsBuilder<FileGrainStorageOptions>>? configure = null)
    {
        configure?.Invoke(services.AddOptions<FileGrainStorageOptions>(name));
        services.AddTransient<IConfigurationValidator>(sp =>
            new FileGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(name), name));
        services.AddTransient<IPostConfigureOptions<FileGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<FileGrainStorageOptions>>();
        services.ConfigureNamedOptionForLogging<FileGrainStorageOptions>(name);
        return services.AddGrainStorage(name, (sp, n) =>
            ActivatorUtilities.CreateInstance<FileGrainStorage>(sp, n, sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(n)));
    }
}
