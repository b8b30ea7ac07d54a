namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The selection rule: per method × optimizer, the learning rate whose cells (averaged over seeds) score best.</summary>
/// <param name="Epoch">With <see cref="SelectionPoint.Epoch"/>, the epoch the curves are read at; otherwise null.</param>
/// <param name="Window">Evaluations each curve's accuracies are averaged over, ending at the point read (final or an
/// epoch), or under <see cref="SelectionPoint.Best"/> the consecutive ones whose mean is best: a noisy curve (SGD at a
/// large rate swings points between evaluations) is not judged on one evaluation's luck. Null is one, the evaluation
/// alone; never 1, so two rules that read alike are equal (<see cref="WithWindow"/>).</param>
[GenerateSerializer, Immutable, Alias("gg.SelectionSpec")]
public sealed record SelectionSpec(
    [property: Id(0)] SelectionMetric Metric = SelectionMetric.TrainAccuracy,
    [property: Id(1)] SelectionPoint At = SelectionPoint.Final,
    [property: Id(2)] int? Epoch = null,
    [property: Id(3)] int? Window = null)
{
    /// <summary>The most evaluations a window may average (a sweep trains at most this many epochs).</summary>
    public const int MaxWindow = 1_000_000;

    /// <summary>The rule that reads each curve at <paramref name="epoch"/> (its last evaluation at or before it).</summary>
    public static SelectionSpec AtEpoch(SelectionMetric metric, int epoch) => new(metric, SelectionPoint.Epoch, epoch);

    /// <summary>Evaluations averaged: 1 reads the point's evaluation alone.</summary>
    public int Evaluations => Window ?? 1;

    /// <summary>This rule averaging <paramref name="evaluations"/> evaluations (1: none, stored as null).</summary>
    public SelectionSpec WithWindow(int evaluations) => this with { Window = evaluations > 1 ? evaluations : null };

    /// <summary>Whether ranking needs every cell's curve: the ledger holds each cell's final and best evaluations only.</summary>
    public bool ReadsCurves => At == SelectionPoint.Epoch || Window is not null;
}
