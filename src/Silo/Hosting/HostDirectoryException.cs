namespace GradGuessCluster.Silo.Hosting;

/// <summary>A state or checkpoint directory the host cannot use (in use by another host, a file, not writable): invalid
/// input, exit 2. The message is one line naming the option and the directory.</summary>
public sealed class HostDirectoryException(string message) : Exception(message);
