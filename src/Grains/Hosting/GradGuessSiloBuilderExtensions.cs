using Orleans.Hosting;

namespace GradGuessCluster.Grains.Hosting;

/// <summary>Adds the sweep grains, GPU-aware placement and silo metadata to a silo. The host chooses clustering and
/// registers the grain storage named <see cref="GradGuessSiloOptions.StorageName"/> (file, Redis or ADO.NET).</summary>
public static class GradGuessSiloBuilderExtensions
{
    public static ISiloBuilder AddGradGuess(this ISiloBuilder silo, Action<GradGuessSiloOptions>? configure = null)
    {
        var options = new GradGuessSiloOptions();
        configure?.Invoke(options);
        // Filled in by the orchestrator work: placement director, metadata, training-cell factory, resume service.
        throw new NotImplementedException("orchestrator registration not yet implemented");
    }
}
