namespace GradGuessCluster.Client.Cluster;

/// <summary>No gateway of the cluster answered within the connection time limit.</summary>
internal sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
