using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// A sweep's ledger as it stood once its cells had trained to one epoch, rebuilt from their curves: what
/// <c>results --at N</c> ranks, as if the spec had said N epochs. A cell whose curve reaches N counts as completed there,
/// summarised from its records up to N (a divergence, failure or cancellation after N does not reach back); one that
/// diverged at or before N is diverged; one whose curve stops short of N keeps its state (queued, running, failed or
/// cancelled), so its learning rate does not compete.
/// </summary>
public static class LedgerAtEpoch
{
    /// <summary>One cell's entry as of <paramref name="epoch"/>, from its readable curve.</summary>
    public static CellEntry Entry(CellCurve curve, int epoch)
    {
        var upTo = curve.Records.TakeWhile(r => r.Epoch <= epoch).ToList();
        var reached = curve.Records.Count > 0 && curve.Records[^1].Epoch >= epoch;
        var entry = new CellEntry { State = upTo.Any(r => r.Diverged) ? CellState.Diverged : reached ? CellState.Completed : curve.State };
        CellSummaries.Summarise(entry, upTo);
        return entry;
    }
}
