using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training;

namespace GradGuessCluster.Client.Refinement;

/// <summary>What <c>confirm</c> makes of a sweep's results: each row's best scored learning rates (its pick, then the
/// runner-up, ...), and a new sweep's spec that trains only those, on other seeds, every other setting kept. A pick is
/// one seed's (or a few seeds') verdict; the same rates on fresh seeds say whether it holds.</summary>
internal static class Confirmation
{
    /// <summary>The pick and the runner-up: whether the pick holds against the rate that nearly beat it.</summary>
    public const int DefaultTop = 2;

    public const string Suffix = "-confirm";

    /// <summary>The new sweep's name unless <c>--name</c> gives one: "SWEEP-confirm"; null where that is past a sweep
    /// name's length.</summary>
    public static string? DefaultName(string sweep) => sweep.Length + Suffix.Length <= SweepNames.MaxLength ? sweep + Suffix : null;

    /// <summary>The seeds of <c>--seeds</c> ("1,2"): whole numbers from 0, each once, as a spec's <c>seeds</c> takes
    /// them; or what is wrong with the list.</summary>
    public static (IReadOnlyList<int> Seeds, string? Problem) ReadSeeds(string list)
    {
        var seeds = new List<int>();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                return ([], $"--seeds: expected whole numbers from 0, comma-separated, got '{item}'");
            if (seeds.Contains(seed)) return ([], $"--seeds: {seed} is given twice");
            seeds.Add(seed);
        }
        return (seeds, null);
    }

    /// <summary>A usage error for the first seed <paramref name="spec"/> trained already; null where there is none.</summary>
    public static string? OwnSeed(SweepSpec spec, IReadOnlyList<int> seeds) =>
        seeds.FirstOrDefault(seed => spec.Seeds.Contains(seed), -1) is >= 0 and var own
            ? $"--seeds: seed {own} is the sweep's own: it trains the same curves again (training is deterministic per seed)"
            : null;

    /// <summary>Each row's <paramref name="top"/> best scored rates, ranked as results ranks them: the pick, the
    /// runner-up, then by score (the smaller rate first on a tie). A row with no scored rate is a usage error naming it:
    /// the grid is a product, so leaving it out takes <c>--method</c>/<c>--optimizer</c>.</summary>
    public static IReadOnlyList<ConfirmedRow> Choose(IEnumerable<ResultRow> rows, int top)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var (chosen, without) = (new List<ConfirmedRow>(), new List<string>());
        foreach (var row in rows)
        {
            var scored = (row.Rates ?? []).Where(r => r is { Outcome: RateOutcome.Scored, Score: not null }).ToList();
            if (scored.Count == 0)
            {
                without.Add($"{row.Method} × {row.Optimizer} ({row.Note ?? "no scored learning rate"})");
                continue;
            }
            int Rank(RateScore r) => r.LearningRate == row.BestLearningRate ? 0 : r.LearningRate == row.RunnerUpLearningRate ? 1 : 2;
            var ranked = scored.OrderBy(Rank).ThenByDescending(r => r.Score).ThenBy(r => r.LearningRate).Take(top);
            chosen.Add(new ConfirmedRow(row.Method, row.Optimizer, [.. ranked]));
        }
        if (without.Count > 0)
            throw new UsageException($"nothing to confirm in {(without.Count == 1 ? "" : Units.Count(without.Count, "row") + ": ")}{string.Join("; ", without)}: " +
                                     $"leave {(without.Count == 1 ? "it" : "them")} out with --method/--optimizer (the new sweep's grid is the methods × optimizers they name)");
        return chosen;
    }

    /// <summary><paramref name="spec"/> as a new sweep <paramref name="name"/> that trains <paramref name="rows"/> (which
    /// cover a product of its methods and optimizers) on <paramref name="seeds"/>: the rates every row trains in
    /// <c>learningRates</c> (empty where the rows share none; in the order the spec lists its grid, a rate of the rows'
    /// own after them), each row's others in its <c>rowRates</c> (largest first, unless the spec's grid ascends).
    /// Everything else is the spec's.</summary>
    public static SweepSpec Spec(SweepSpec spec, string name, IReadOnlyList<ConfirmedRow> rows, IReadOnlyList<int> seeds)
    {
        var methods = spec.Methods.Where(m => rows.Any(r => r.Method == m)).ToList();
        var optimizers = spec.Optimizers.Where(o => rows.Any(r => r.Optimizer == o)).ToList();
        if (rows.Count != methods.Count * optimizers.Count || rows.DistinctBy(r => (r.Method, r.Optimizer)).Count() != rows.Count)
            throw new ArgumentException("the rows must be each of a product of methods × optimizers once", nameof(rows));
        // By float32, as training (and the validator) tells rates apart.
        var shared = rows[0].LearningRates.Where(lr => rows.All(r => r.LearningRates.Any(other => (float)other == (float)lr))).ToList();
        bool Shared(double lr) => shared.Any(s => (float)s == (float)lr);
        bool ascending = Ascending(spec.LearningRates);
        var own = rows.Select(r => new RowLearningRates(r.Method, r.Optimizer, Directed(r.LearningRates.Where(lr => !Shared(lr)), ascending)))
            .Where(r => r.LearningRates.Count > 0).ToList();
        // Lists, not collection expressions: the spec lands in grain state, whose serializer reads back only known collection types.
        return spec with
        {
            Name = name, Methods = methods, Optimizers = optimizers, Seeds = seeds.ToList(),
            LearningRates = spec.LearningRates.Where(shared.Contains).Concat(Directed(shared.Where(lr => !spec.LearningRates.Contains(lr)), ascending)).ToList(),
            RowRates = own.Count == 0 ? null : own,
        };
    }

    private static List<double> Directed(IEnumerable<double> rates, bool ascending) => ascending ? [.. rates.Order()] : [.. rates.OrderDescending()];

    /// <summary>Whether the spec's grid ascends; else rates go largest first, as the study writes its grids.</summary>
    private static bool Ascending(IReadOnlyList<double> grid) => grid.Count > 1 && grid.Zip(grid.Skip(1)).All(p => p.First < p.Second);
}

/// <summary>A row <c>confirm</c> trains again: its best scored rates with their scores, the pick first.</summary>
internal sealed record ConfirmedRow(string Method, string Optimizer, IReadOnlyList<RateScore> Rates)
{
    public IReadOnlyList<double> LearningRates => [.. Rates.Select(r => r.LearningRate)];
}
