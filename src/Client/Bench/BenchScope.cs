using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Bench;

/// <summary>Whether a training bench measured the full record (every method, batches 128 and 512, packs 1 and 4, the
/// study's model on Fashion-MNIST, default guesses, a warm-up and at least 3 timed epochs) and so which section of docs/BENCHMARKS.md it may replace. A
/// narrowed run (<c>--methods wt</c>, say) writes its own section: replacing the full record with one row of it would
/// lose the others.</summary>
internal sealed record BenchScope(IReadOnlyList<string> Narrowed)
{
    public static readonly IReadOnlyList<int> FullBatches = [128, 512];
    public static readonly IReadOnlyList<int> FullPacks = [1, 4];

    /// <summary>Every method the study compares (the matched-noise oracle is a diagnostic, not benched).</summary>
    public static readonly IReadOnlyList<string> FullMethods = EstimatorNames.All.Where(m => m != "matched-noise").ToArray();

    /// <summary>Fewer timed epochs than a median worth quoting rests on.</summary>
    public const int MinTimed = 3;

    public bool IsFull => Narrowed.Count == 0;

    public static BenchScope Of(IReadOnlyList<EstimatorKind> methods, IReadOnlyList<int> batches, IReadOnlyList<int> packs, PackSpec spec,
        int warmup = 1, int timed = 3)
    {
        var narrowed = new List<string>();
        // Named in one order whatever the options' (methods as the study lists them, sizes rising): --methods wt,backprop
        // and backprop,wt are one narrowing, whose second run replaces the first's section instead of writing another.
        var given = methods.Select(EstimatorNames.Name).ToHashSet();
        if (!given.SetEquals(FullMethods)) narrowed.Add($"methods {string.Join(",", EstimatorNames.All.Where(given.Contains))}");
        if (!batches.ToHashSet().SetEquals(FullBatches)) narrowed.Add($"batch sizes {string.Join(",", batches.Distinct().Order())}");
        if (!packs.ToHashSet().SetEquals(FullPacks)) narrowed.Add($"packs {string.Join(",", packs.Distinct().Order())}");
        if (spec.Data.Set != "fashion-mnist") narrowed.Add($"data {spec.Data.Set}");
        if (spec.Width != 128 || spec.Depth != 3) narrowed.Add($"{spec.Depth}×{spec.Width} model");
        // Named one by one: a --per-layer run and a --guesses 4 run write two sections (both once read "non-default guess
        // options", and the second replaced the first), and a reader sees which was measured.
        narrowed.AddRange(GuessOptionText.NonDefault(spec.Estimator));
        // Too few epochs to quote (the command warns): such a run must not replace figures that rest on more.
        if (timed < MinTimed) narrowed.Add($"{timed} timed epoch{(timed == 1 ? "" : "s")}");
        if (warmup == 0) narrowed.Add("no warm-up");
        return new BenchScope(narrowed);
    }

    /// <summary>The BENCHMARKS.md section: one per thread count and one for GPUs, so that no run replaces another
    /// kind's record; a narrowed run's is named for what it narrowed, so that only the same narrowing replaces it.</summary>
    public string Section(BenchDevice device, int threads) => Run(device, threads).Section;

    /// <summary>The run's section, note and what the command says once it is written.</summary>
    public NarrowedRun Run(BenchDevice device, int threads) =>
        new(device.IsCuda ? "training-bench-cuda" : threads == 1 ? "training-bench" : $"training-bench-{threads}-threads", Narrowed);

    /// <summary>The report's line on what was left out, or null for a full run.</summary>
    public string? Note => new NarrowedRun("training-bench", Narrowed).Note;
}
