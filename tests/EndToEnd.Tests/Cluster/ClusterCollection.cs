namespace GradGuessCluster.EndToEnd.Tests.Cluster;

/// <summary>Tests that run silo processes share one collection, so they never run at the same time (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster processes";
}
