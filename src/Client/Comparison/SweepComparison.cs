using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Comparison;

/// <summary>
/// Two sweeps' results under one selection rule, method × optimizer by method × optimizer, and the spec fields in
/// which the sweeps differ (an ablation's one changed setting, or none for a re-run). Deltas are B − A.
/// Also <c>gradguess compare --json</c>.
/// </summary>
/// <param name="SameName">Both specs carry one name: two runs of one spec, read from two state directories.</param>
/// <param name="DataA">The data A's packs trained on (null before one started, or for a sweep older than data digests).</param>
/// <param name="Relisted">The specs hold the same cells but list their learning rates otherwise (a rate every row holds
/// in learningRates rather than in each row's rowRates): those fields are left out of <paramref name="Differences"/>.</param>
internal sealed record SweepComparison(
    ComparedSweep A,
    ComparedSweep B,
    SelectionSpec Selection,
    IReadOnlyList<SpecDifference> Differences,
    IReadOnlyList<ComparedRow> Rows,
    bool SameName = false,
    DataRead? DataA = null,
    DataRead? DataB = null,
    bool Relisted = false,
    PooledSeeds? Pool = null)
{
    /// <summary>Both sweeps' data are known and hold other examples: a re-run that differs may owe it to its data.</summary>
    public bool DataDiffer => DataA is { } a && DataB is { } b && a.Digest != b.Digest;

    /// <summary>Every method × optimizer has finished in both sweeps with the same outcome: the same learning rate and
    /// accuracies to the last bit, or no winner on either side for the same reason (every learning rate diverged, say);
    /// and at least one has a winner. A re-run then reproduced the first (training is deterministic on a CPU). A row
    /// still running may yet change its winner, so it is not the same, whatever it shows now.</summary>
    public bool Identical => Rows.Any(r => r.A?.BestLearningRate is not null) && Rows.All(r => r.A is { } a && r.B is { } b && Same(a, b));

    private static bool Same(ResultRow a, ResultRow b) =>
        a.CellsFinished == a.CellsTotal && b.CellsFinished == b.CellsTotal && (a.BestLearningRate is null
            ? b.BestLearningRate is null && a.Note == b.Note
            : a.BestLearningRate == b.BestLearningRate && a.TrainAccuracy == b.TrainAccuracy && a.TestAccuracy == b.TestAccuracy);

    /// <summary>Pairs the rows of <paramref name="a"/> and <paramref name="b"/> (both ranked by the same rule): A's rows in
    /// their order, then the method × optimizer pairs only B has.</summary>
    public static SweepComparison Of(SweepSpec specA, SweepResults a, SweepSpec specB, SweepResults b)
    {
        if (a.Selection != b.Selection) throw new ArgumentException("both sweeps must be ranked by the same rule");
        var inB = b.Rows.ToDictionary(r => (r.Method, r.Optimizer));
        var inA = a.Rows.Select(r => (r.Method, r.Optimizer)).ToHashSet();
        var rows = a.Rows.Select(r => ComparedRow.Of(r.Method, r.Optimizer, r, inB.GetValueOrDefault((r.Method, r.Optimizer)), a.Selection.Metric))
            .Concat(b.Rows.Where(r => !inA.Contains((r.Method, r.Optimizer))).Select(r => ComparedRow.Of(r.Method, r.Optimizer, null, r, a.Selection.Metric)))
            .ToList();
        var differences = SpecDifference.Between(specA, specB);
        // The same cells under another listing of the rates (refine's layout against an older one) are no difference in
        // what trained: said once, rather than as a changed field per row.
        bool relisted = SpecExtension.Relists(specA, specB);
        if (relisted) differences = [.. differences.Where(d => !SpecCanonical.IsRateField(d.Field))];
        return new SweepComparison(new(a.Name, a.State), new(b.Name, b.State), a.Selection, differences, rows,
            specA.Name == specB.Name, a.Data, b.Data, relisted, PooledSeeds.Of(specA, specB, differences, a.Data, b.Data, rows));
    }
}

/// <summary>Two sweeps that differ only in their seeds (none shared) and which rates, methods and optimizers they train, on
/// the same data: a confirmation of the first (<c>confirm</c>). Their cells of one rate are then the same experiment
/// on more seeds, and a rate both scored has one mean over all of them, and one spread: <see cref="Rows"/>.</summary>
/// <param name="A">A's number of seeds (each scored rate's mean is over all of them).</param>
/// <param name="Rows">Per method × optimizer both sweeps have, the rates both scored, pooled (A's order).</param>
internal sealed record PooledSeeds(int A, int B, IReadOnlyList<PooledRow> Rows)
{
    private static readonly string[] MayDiffer = ["seeds", "learningRates", "methods", "optimizers", "maxCells"];

    /// <summary>Null unless the two sweeps pool (and every row has its per-rate scores: silos of an older build answer
    /// without them).</summary>
    public static PooledSeeds? Of(SweepSpec a, SweepSpec b, IReadOnlyList<SpecDifference> differences, DataRead? dataA, DataRead? dataB,
        IReadOnlyList<ComparedRow> rows) =>
        a.Seeds.Intersect(b.Seeds).Any() || dataA?.Digest != dataB?.Digest
        || differences.Any(d => !MayDiffer.Contains(d.Field) && !SpecCanonical.IsRowRatesField(d.Field))
        || rows.Any(r => r.A is { Rates: null } || r.B is { Rates: null })
            ? null
            : new PooledSeeds(a.Seeds.Count, b.Seeds.Count, [.. rows.Where(r => r.A is not null && r.B is not null)
                .Select(r => PooledRow.Of(r.Method, r.Optimizer, r.A!.Rates!, r.B!.Rates!, a.Seeds.Count, b.Seeds.Count))]);

    /// <summary>A compared row's rates (in any order), each with its pooled score where both scored it, and whether it is
    /// the row's best (what the tables mark; ties are all best).</summary>
    public IReadOnlyList<(RateScore? Pooled, bool Best)> Row(ComparedRow pair, IEnumerable<double> learningRates)
    {
        var row = Rows.FirstOrDefault(r => r.Method == pair.Method && r.Optimizer == pair.Optimizer);
        return [.. learningRates.Select(lr => row?.Rates.FirstOrDefault(s => s.LearningRate == lr) is { } pooled
            ? (pooled, pooled.Score == row.Rates.Max(s => s.Score)) : ((RateScore?)null, false))];
    }
}

/// <summary>One method × optimizer of <see cref="PooledSeeds"/>: each rate both sweeps scored, with its mean and sample
/// standard deviation over all their seeds, and the rate whose mean is best (the first of ties).</summary>
internal sealed record PooledRow(string Method, string Optimizer, double? BestLearningRate, IReadOnlyList<RateScore> Rates)
{
    public static PooledRow Of(string method, string optimizer, IReadOnlyList<RateScore> a, IReadOnlyList<RateScore> b, int seedsA, int seedsB)
    {
        var rates = a.Select(x => (x, y: b.FirstOrDefault(y => y.LearningRate == x.LearningRate)))
            .Where(p => p.x.Score is not null && p.y?.Score is not null)
            .Select(p => Pool(p.x, seedsA, p.y!, seedsB)).ToList();
        var best = rates.Count == 0 ? null : rates.MaxBy(r => r.Score);
        return new PooledRow(method, optimizer, best?.LearningRate, rates);
    }

    /// <summary>The groups' common mean and the sample standard deviation of their seeds' scores, from each group's mean,
    /// spread and size: the scatter within each group plus each group's distance from the common mean. A group of one
    /// seed has no spread of its own (null: no scatter within it).</summary>
    public static RateScore Pool(RateScore a, int n, RateScore b, int m)
    {
        double x = a.Score!.Value, y = b.Score!.Value, mean = (n * x + m * y) / (n + m);
        double sa = a.ScoreStd ?? 0, sb = b.ScoreStd ?? 0;
        double squares = (n - 1) * sa * sa + n * (x - mean) * (x - mean) + (m - 1) * sb * sb + m * (y - mean) * (y - mean);
        return new RateScore(a.LearningRate, RateOutcome.Scored, mean, Math.Sqrt(squares / (n + m - 1)));
    }
}

/// <summary>One side of a comparison: which sweep, and whether it has finished (its rows are in the compared rows).</summary>
internal sealed record ComparedSweep(string Name, SweepState State);

/// <summary>A spec field whose value differs (null: the field is absent from that spec, e.g. a synthetic-only key).</summary>
internal sealed record SpecDifference(string Field, string? A, string? B)
{
    public static IReadOnlyList<SpecDifference> Between(SweepSpec a, SweepSpec b) =>
        SpecCanonical.DifferingFields(a, b).Where(d => d.Field != "name").Select(d => new SpecDifference(d.Field, d.A, d.B)).ToList();

    /// <summary>A side's value as a person reads it (<see cref="SpecCanonical.Said"/>).</summary>
    public string Shown(string? value) => SpecCanonical.Said(Field, value);
}

/// <param name="TrainDelta">B − A of the train accuracy (a fraction); null unless both have one.</param>
/// <param name="WithinSpread">The selection metric's delta is no larger than the seeds' spread, √(s_A² + s_B²): another
/// pair of seeds could reverse it. False when either side has no spread (one seed).</param>
internal sealed record ComparedRow(string Method, string Optimizer, ResultRow? A, ResultRow? B, double? TrainDelta, double? TestDelta,
    bool WithinSpread)
{
    public static ComparedRow Of(string method, string optimizer, ResultRow? a, ResultRow? b, SelectionMetric metric)
    {
        double? train = Delta(a?.TrainAccuracy, b?.TrainAccuracy), test = Delta(a?.TestAccuracy, b?.TestAccuracy);
        var (delta, sa, sb) = (ComparedMetric.IsTrain(metric) ? train : test, ComparedMetric.Spread(a, metric), ComparedMetric.Spread(b, metric));
        bool within = delta is { } d && sa is { } x && sb is { } y && Math.Abs(d) <= Math.Sqrt(x * x + y * y);
        return new ComparedRow(method, optimizer, a, b, train, test, within);
    }

    /// <summary>B − A of <paramref name="metric"/>.</summary>
    public double? Delta(SelectionMetric metric) => ComparedMetric.IsTrain(metric) ? TrainDelta : TestDelta;

    private static double? Delta(double? a, double? b) => a is { } x && b is { } y ? y - x : null;
}
