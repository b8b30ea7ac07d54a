using System.Globalization;

namespace GradGuessCluster.Client.Local;

/// <summary>The bench's section of docs/BENCHMARKS.md.</summary>
internal static class OrchestrationBenchReport
{
    public static string Markdown(OrchestrationBenchResult r, string machine, string commit)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        static string Mib(long bytes) => F(bytes / 1024.0 / 1024.0, "F1") + " MiB";
        static string Kib(long bytes) => F(bytes / 1024.0, "F1") + " KiB";
        return $"""
            ## Orchestration overhead (`./gradguess bench orchestration`)

            A sweep of {r.Cells} one-cell packs × {r.Epochs} epochs whose trainer does no numeric work, through the real sweep
            coordinator, GPU/CPU placement director and slot ledger, training grains and file grain storage, on one embedded
            silo with {r.Slots} CPU slots (after a 20-cell warm-up sweep). Every epoch report is acknowledged only once its
            curve chunk is written; afterwards every curve is read back and checked to hold epochs 1..{r.Epochs} exactly once.

            Machine: {machine}. Commit: {commit}. fsync per write: {(r.FlushToDisk ? "on" : "off (atomic rename; survives a killed process)")}.

            | measure | value |
            |---|---|
            | wall time, submit → sweep completed | {F(r.WallSeconds, "F2")} s |
            | epoch reports durably stored | {r.RecordsStored} |
            | epoch reports per second, end to end | {F(r.ReportsPerSecond, "F0")} |
            | managed heap growth during the sweep (coordinator and everything else live) | {Mib(r.HeapGrowthBytes)} |
            | process peak working set | {Mib(r.PeakWorkingSetBytes)} |
            | coordinator ledger record on disk (one entry per cell, no curves) | {Kib(r.LedgerBytes)} |
            | largest curve-chunk record (≤ 64 epochs, whatever the curve's length) | {Kib(r.LargestChunkBytes)} |
            | state files / bytes after the run | {r.StateFiles} / {Mib(r.StateBytes)} |

            Acceptance bar (issue 3): 1,000 cells × 10 epochs in under 20 s, ≥ 500 reports/s. Writes per report: one curve chunk
            (bounded size); the ledger is written on state changes only (admissions, completions), group-committed.
            """;
    }
}
