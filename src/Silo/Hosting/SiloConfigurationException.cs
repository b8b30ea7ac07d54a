namespace GradGuessCluster.Silo.Hosting;

/// <summary>The host's configuration is unusable; the message lists every problem on one line.</summary>
public sealed class SiloConfigurationException(IReadOnlyList<string> errors)
    : Exception("invalid silo configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
