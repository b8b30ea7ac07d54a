namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The selection rule: per method × optimizer, the learning rate whose cells (averaged over seeds) score best.</summary>
[GenerateSerializer, Immutable, Alias("gg.SelectionSpec")]
public sealed record SelectionSpec(
    [property: Id(0)] SelectionMetric Metric = SelectionMetric.TrainAccuracy,
    [property: Id(1)] SelectionPoint At = SelectionPoint.Final);
