namespace GradGuessCluster.Client.Local;

/// <summary>What the orchestration-overhead bench measured.</summary>
/// <param name="WallSeconds">Submit to the sweep's completion.</param>
/// <param name="RecordsStored">Epoch records read back from storage after the run (each must be there exactly once).</param>
/// <param name="HeapGrowthBytes">Managed heap after the sweep (full GC, coordinator still active) minus before it.</param>
/// <param name="LedgerBytes">Size of the coordinator's ledger record on disk.</param>
/// <param name="LargestChunkBytes">Size of the largest curve-chunk record on disk (bounded by 64 epochs whatever the sweep's length).</param>
internal sealed record OrchestrationBenchResult(
    int Cells, int Epochs, int Slots, bool FlushToDisk, double WallSeconds, long RecordsStored, long HeapGrowthBytes,
    long PeakWorkingSetBytes, long LedgerBytes, long LargestChunkBytes, int StateFiles, long StateBytes)
{
    public double ReportsPerSecond => RecordsStored / WallSeconds;
}
