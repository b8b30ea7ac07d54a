using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Refinement;

/// <summary>A learning rate <c>refine</c> adds for a results row, and where it lies from the row's pick.</summary>
/// <param name="Where">"past the top edge", "past the bottom edge", "below the grid" (every rate diverged) or
/// "toward 1e-4" (between the pick and that neighbour; "toward 1e-2, which diverged").</param>
internal sealed record RateProposal(double LearningRate, string Where);

/// <summary>What <c>refine</c> makes of one results row: the rates it adds around the row's pick, or why none.</summary>
/// <param name="Best">The row's pick; null where it has none.</param>
/// <param name="Why">Why the row adds nothing (no pick yet, neighbours already close, ...); null where it adds rates.</param>
internal sealed record RowProposal(string Method, string Optimizer, double? Best, IReadOnlyList<RateProposal> Rates, string? Why)
{
    /// <summary>What the row adds, as refine and the report say it ("1e-1 (past the top edge), 3e-3 (toward 1e-3)"), or why
    /// it adds nothing.</summary>
    public string Text => Rates.Count > 0
        ? string.Join(", ", Rates.Select(p => $"{LearningRateText.Of(p.LearningRate)} ({p.Where})"))
        : Why ?? "";
}

/// <summary>A spec refined by <see cref="GridRefinement.Apply"/>: the rates it added to each row, those a cap on rates per
/// row left out, the cells the added rates train, and the rates every row holds now, which moved to <c>learningRates</c>.</summary>
internal sealed record RefinedSpec(SweepSpec Spec, IReadOnlyList<RowLearningRates> Added, IReadOnlyList<RowLearningRates> LeftOut, long CellsAdded,
    IReadOnlyList<double> ToGrid);
