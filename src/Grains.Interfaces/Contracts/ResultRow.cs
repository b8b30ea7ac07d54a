namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One row of the study's results table: for a method × optimizer, the chosen learning rate and its accuracies
/// (averaged over seeds).</summary>
/// <param name="BestLearningRate">Null when no cell of this method × optimizer has a usable result yet.</param>
/// <param name="AtGridEdge">The chosen LR is the smallest or largest of the grid: the optimum may lie outside it.</param>
/// <param name="CellsFinished">Cells of this method × optimizer in a final state.</param>
/// <param name="Note">Why a row has no result, or what to keep in mind (e.g. "all diverged").</param>
/// <param name="TrainAccuracyStd">Sample standard deviation over the winning learning rate's seeds of the train accuracy
/// reported (null with one seed): how far another seed could move the row.</param>
/// <param name="TestAccuracyStd">The same for the test accuracy.</param>
/// <param name="RunnerUpLearningRate">The learning rate that scored next best on the selection metric (null where no other
/// competed): with <paramref name="Lead"/>, whether the choice is clear or a coin's toss.</param>
/// <param name="Lead">How far the chosen learning rate scored above the runner-up on the selection metric, as a fraction
/// (0 for a tie); null with no runner-up.</param>
/// <param name="Rates">Every learning rate of the grid, in the spec's order, with its score or why it has none (null from
/// builds before it).</param>
[GenerateSerializer, Immutable, Alias("gg.ResultRow")]
public sealed record ResultRow(
    [property: Id(0)] string Method,
    [property: Id(1)] string Optimizer,
    [property: Id(2)] double? BestLearningRate,
    [property: Id(3)] double? TrainAccuracy,
    [property: Id(4)] double? TestAccuracy,
    [property: Id(5)] bool AtGridEdge,
    [property: Id(6)] int CellsFinished,
    [property: Id(7)] int CellsTotal,
    [property: Id(8)] string? Note,
    [property: Id(9)] double? TrainAccuracyStd = null,
    [property: Id(10)] double? TestAccuracyStd = null,
    [property: Id(11)] double? RunnerUpLearningRate = null,
    [property: Id(12)] double? Lead = null,
    [property: Id(13)] IReadOnlyList<RateScore>? Rates = null)
{
    /// <summary>Value equality, <see cref="Rates"/> element by element: a record's own compares a list by reference, so
    /// the same results read twice would differ.</summary>
    public bool Equals(ResultRow? other) =>
        other is not null && Method == other.Method && Optimizer == other.Optimizer && BestLearningRate == other.BestLearningRate
        && TrainAccuracy == other.TrainAccuracy && TestAccuracy == other.TestAccuracy && AtGridEdge == other.AtGridEdge
        && CellsFinished == other.CellsFinished && CellsTotal == other.CellsTotal && Note == other.Note
        && TrainAccuracyStd == other.TrainAccuracyStd && TestAccuracyStd == other.TestAccuracyStd
        && RunnerUpLearningRate == other.RunnerUpLearningRate && Lead == other.Lead
        && (Rates is null ? other.Rates is null : other.Rates is not null && Rates.SequenceEqual(other.Rates));

    public override int GetHashCode() => HashCode.Combine(Method, Optimizer, BestLearningRate, TrainAccuracy, TestAccuracy, Rates?.Count);
}
