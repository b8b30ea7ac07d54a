using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>A cell's summary when it ends, from the curve read back then.</summary>
public sealed class CellSummariesTests
{
    private static EpochRecord Epoch(int epoch) => new("c", epoch, 1.0, 0.5, 0.4, null, null, null, 1, 0, 100, false);

    [Fact]
    public void ACurveThatReadsShort_LeavesTheStoredEpochCount_SoTheGapIsStillFound()
    {
        // Cancelled with a chunk of its curve moved away, a cell's ledger once took the short read as all it had stored,
        // and export then found nothing missing.
        var entry = new CellEntry { State = CellState.Cancelled, LastEpoch = 130 };
        CellSummaries.Summarise(entry, [Epoch(1), Epoch(2)]);
        Assert.Equal(130, entry.LastEpoch);
        CellSummaries.Summarise(entry, [.. Enumerable.Range(1, 140).Select(Epoch)]);
        Assert.Equal(140, entry.LastEpoch);
    }
}
