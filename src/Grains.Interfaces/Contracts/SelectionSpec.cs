namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The selection rule: per method × optimizer, the learning rate whose cells (averaged over seeds) score best.</summary>
/// <param name="Epoch">With <see cref="SelectionPoint.Epoch"/>, the epoch the curves are read at; otherwise null.</param>
[GenerateSerializer, Immutable, Alias("gg.SelectionSpec")]
public sealed record SelectionSpec(
    [property: Id(0)] SelectionMetric Metric = SelectionMetric.TrainAccuracy,
    [property: Id(1)] SelectionPoint At = SelectionPoint.Final,
    [property: Id(2)] int? Epoch = null)
{
    /// <summary>The rule that reads each curve at <paramref name="epoch"/> (its last evaluation at or before it).</summary>
    public static SelectionSpec AtEpoch(SelectionMetric metric, int epoch) => new(metric, SelectionPoint.Epoch, epoch);
}
