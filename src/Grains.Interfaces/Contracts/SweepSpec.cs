namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>
/// A parsed sweep spec (SPEC §6): the grid methods × optimizers × learning rates × seeds and everything the cells share.
/// Build it with <see cref="Validation.SweepSpecParser"/>, which validates it.
/// </summary>
[GenerateSerializer, Immutable, Alias("gg.SweepSpec")]
public sealed record SweepSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] DataSpec Data,
    [property: Id(2)] ModelSpec Model,
    [property: Id(3)] IReadOnlyList<string> Methods,
    [property: Id(4)] IReadOnlyList<string> Optimizers,
    [property: Id(5)] IReadOnlyList<double> LearningRates,
    [property: Id(6)] IReadOnlyList<int> Seeds,
    [property: Id(7)] int Epochs,
    [property: Id(8)] int BatchSize = SweepSpec.DefaultBatchSize,
    [property: Id(9)] int EvaluateEvery = 1,
    [property: Id(10)] int CheckpointEvery = SweepSpec.DefaultCheckpointEvery,
    [property: Id(11)] DiagnosticsSpec? Diagnostics = null,
    [property: Id(12)] SelectionSpec? Selection = null,
    [property: Id(13)] PackingMode Packing = PackingMode.None,
    [property: Id(14)] int MaxCells = SweepSpec.DefaultMaxCells,
    [property: Id(15)] EstimatorSpec? Estimator = null,
    [property: Id(16)] OptimizerSpec? Optimizer = null,
    [property: Id(17)] IReadOnlyList<RowLearningRates>? RowRates = null)
{
    public const int DefaultBatchSize = 512;
    public const int DefaultCheckpointEvery = 10;
    public const int DefaultMaxCells = 10_000;

    /// <summary>Cells in the grid: methods × optimizers × learning rates, plus each row's own rates, × seeds.</summary>
    public long CellCount => ((long)Methods.Count * Optimizers.Count * LearningRates.Count + RowRateCount) * Seeds.Count;

    /// <summary>The rates of <see cref="RowRates"/> in rows of the grid (the validator refuses the others), each once per seed.</summary>
    public long RowRateCount => RowRatesOrEmpty.Where(r => Methods.Contains(r.Method) && Optimizers.Contains(r.Optimizer))
        .Sum(r => (long)r.LearningRates.Count);

    public IReadOnlyList<RowLearningRates> RowRatesOrEmpty => RowRates ?? [];

    /// <summary>The learning rates one row trains: the grid's, then the row's own (<see cref="RowRates"/>), in spec order.</summary>
    public IReadOnlyList<double> RatesFor(string method, string optimizer) =>
        RowRatesOrEmpty.FirstOrDefault(r => r.Method == method && r.Optimizer == optimizer) is { LearningRates.Count: > 0 } own
            ? [.. LearningRates, .. own.LearningRates]
            : LearningRates;

    /// <summary>The most learning rates any row trains: a pack's size under <c>packing: lr</c>.</summary>
    public int MostRatesInARow => Methods.SelectMany(m => Optimizers.Select(o => RatesFor(m, o).Count)).DefaultIfEmpty(LearningRates.Count).Max();

    /// <summary>The evaluations a cell's curve holds up to <paramref name="epoch"/>: every <see cref="EvaluateEvery"/>th epoch,
    /// and the last. A sweep extended past an earlier last epoch evaluated that one too, so this is at least what it holds.</summary>
    public int EvaluationsUpTo(int epoch) => epoch / EvaluateEvery + (epoch == Epochs && epoch % EvaluateEvery != 0 ? 1 : 0);

    public DiagnosticsSpec DiagnosticsOrDefault => Diagnostics ?? new DiagnosticsSpec();
    public SelectionSpec SelectionOrDefault => Selection ?? new SelectionSpec();
    public EstimatorSpec EstimatorOrDefault => Estimator ?? new EstimatorSpec();
    public OptimizerSpec OptimizerOrDefault => Optimizer ?? new OptimizerSpec();
}
