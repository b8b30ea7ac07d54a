using GradGuessCluster.Client.Comparison;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The lines of one method × optimizer in <c>compare --rates</c>: both grids' learning rates in one order of size,
/// each with each sweep's score there (null where its grid lacks the rate).</summary>
internal static class ComparedRates
{
    public static IEnumerable<(double LearningRate, RateScore? A, RateScore? B)> Of(ComparedRow pair)
    {
        var a = pair.A is null ? [] : RatesTable.RatesOf(pair.A, "compare --rates");
        var b = pair.B is null ? [] : RatesTable.RatesOf(pair.B, "compare --rates");
        // A's direction (each list is already in its own), B's where A has too few rates to have one.
        var both = a.Select(r => r.LearningRate).Concat(b.Select(r => r.LearningRate)).Distinct();
        var lrs = RatesTable.Ascending(a.Count >= 2 ? a : b) ? both.Order() : both.OrderDescending();
        return lrs.Select(lr => (lr, a.FirstOrDefault(r => r.LearningRate == lr), b.FirstOrDefault(r => r.LearningRate == lr)));
    }
}
