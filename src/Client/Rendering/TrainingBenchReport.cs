using System.Globalization;
using System.Text;
using GradGuessCluster.Client.Bench;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Rendering;

/// <summary>The training bench's section of docs/BENCHMARKS.md.</summary>
internal static class TrainingBenchReport
{
    public static string Markdown(IReadOnlyList<TrainingBenchResult> results, MachineInfo machine, BenchDevice device, int threads,
        int peakSize, IReadOnlyList<double> peakSamples, string dataName, string model, int warmup, int timed,
        IReadOnlyList<LayerMatmulRates.Rates>? matmulRates = null, string? scopeNote = null, string commit = "unknown",
        IReadOnlyList<double>? copySamples = null, IReadOnlyList<EvaluationBench.Result>? evaluation = null, long testCount = 0)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine((device.IsCuda ? $"## Training speed on {device.Description} (`./gradguess bench --device {device.Device}`)"
            : threads == 1 ? "## Training speed, one thread (`./gradguess bench`)" : $"## Training speed, {threads} threads (`./gradguess bench --threads {threads}`)")
            + (scopeNote is null ? "" : ", narrowed run"));
        sb.AppendLine();
        sb.AppendLine(inv, $"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}. Commit: {commit}.");
        if (scopeNote is not null) sb.AppendLine(inv, $"- {scopeNote}");
        sb.AppendLine(inv, $"- Threads: {threads} (libtorch intra-op). Data: {dataName}. Model: {model}. Optimizer: AdamW; cells of a pack differ in LR only, as in a sweep's `packing: lr` (one seed: they share the batch and their guesses).");
        sb.AppendLine(inv, $"- Protocol: {warmup} warm-up + {timed} timed epochs per configuration, median training-pass time (evaluation excluded); the pack sizes of one method and batch size run their epochs in turn, so drift in the machine's speed hits them alike.");
        sb.AppendLine(inv, $"- Compared against: {(device.IsCuda ? $"the GPU's fp32 matmul peak (TF32 {(TorchSharp.torch.backends.cuda.matmul.allow_tf32 ? "on" : "off")}), {peakSize}³ `torch.mm` on {device.Device}" : $"this machine's fp32 matmul peak, {peakSize}³ `torch.mm`")} in the same process, sampled after every round of timed epochs; each row's % of peak uses the median of its own rounds' samples. Over this run the samples read {peakSamples.Min():F1}–{peakSamples.Max():F1} GFLOP/s (median {Stats.Median(peakSamples):F1}). GFLOP/s counts the matmul FLOPs each configuration executes (2 per multiply-add, forward pass included; work that the cells of a pack sharing a seed do once is counted once).");
        if (copySamples is { Count: > 0 })
            sb.AppendLine(inv, $"- Memory traffic, sampled likewise: a 64 MiB fp32 tensor copied into another (GB/s of bytes read plus written), {copySamples.Min():F1}–{copySamples.Max():F1} GB/s over this run (median {Stats.Median(copySamples):F1}); each row's copy GB/s is the median of its own rounds' samples. The batch gather, the loss and the optimizer are memory-bound: on a shared machine they slow where the copy rate reads low, while the matmul peak need not.");
        sb.AppendLine();
        sb.AppendLine("| method | batch | pack | s/epoch (median) | cell-epochs/s | samples/s | GFLOP/s | peak GFLOP/s | % of peak | copy GB/s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            sb.AppendLine(inv, $"| {r.Method} | {r.BatchSize} | {r.PackSize} | {r.MedianEpochSeconds:F3} | {r.CellEpochsPerSecond:F3} | {r.SamplesPerSecond:F0} | {r.Gflops:F1} | {r.PeakGflops:F1} | {r.PercentOfPeak:F0}% | {(double.IsNaN(r.CopyGBps) ? "–" : r.CopyGBps.ToString("F1", inv))} |");

        var packed = results.Where(r => r.PackSize > 1).ToArray();
        if (packed.Length > 0)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Packing: cell-epochs per second of a pack against one cell at the same batch size. Ratio: of the two medians; per round: each timed round's pack epoch against the single-cell epoch of the same round, which ran back to back with it (median, min–max): the spread shows how far one figure can be trusted. Ceiling: the ratio if the pack's epoch cost nothing but its matmul FLOPs at the matmul peak of its own rounds (their median), against the single cell as measured: low where one cell already runs near the peak, since the cells of a pack share no FLOP but directional's (a guide, not a proof: the model's own small matmuls can run a few per cent above the {peakSize}³ peak).");
            sb.AppendLine();
            sb.AppendLine("| method | batch | pack | 1 cell | pack | ratio | per round: median (min–max) | ceiling |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in packed)
            {
                var single = results.FirstOrDefault(s => s.Method == r.Method && s.BatchSize == r.BatchSize && s.PackSize == 1);
                if (single is null) continue;
                var ratio = PackingRatio.Of(single, r);
                sb.AppendLine(inv, $"| {r.Method} | {r.BatchSize} | {r.PackSize} | {single.CellEpochsPerSecond:F3} | {r.CellEpochsPerSecond:F3} | {ratio.OfMedians:F2}× | {ratio.RoundMedian:F2}× ({ratio.RoundMin:F2}–{ratio.RoundMax:F2}) | {ratio.Ceiling:F2}× |");
            }
        }
        if (evaluation is { Count: > 0 }) AppendEvaluation(sb, evaluation, dataName, testCount, EvaluationBench.UntimedRounds(warmup), timed);
        AppendPhases(sb, results);
        if (matmulRates is { Count: > 0 }) AppendMatmulRates(sb, matmulRates, Stats.Median(peakSamples));
        return sb.ToString();
    }

    private static void AppendEvaluation(StringBuilder sb, IReadOnlyList<EvaluationBench.Result> evaluation, string dataName,
        long testCount, int warmup, int timed)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine();
        sb.AppendLine(inv, $"Evaluation: the accuracy of every cell of a pack on the training set ({dataName}) and the {testCount} test examples, which a sweep computes after every epoch by default (`evaluateEvery: 1`), outside the epoch times above. Milliseconds per evaluation, median of {timed} after {warmup} untimed, in the chunks the trainer evaluates (rows at a time) against chunks of up to {Evaluator.MaxChunkRows} rows (the trainer's on every device before 2026-12-04, a GPU's still), the two in turn.");
        sb.AppendLine();
        sb.AppendLine("| pack | chunk rows | ms per evaluation | large chunks: rows | large chunks: ms | speed-up |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var e in evaluation)
            sb.AppendLine(inv, $"| {e.PackSize} | {e.ChunkRows} | {1000 * e.Seconds:F2} | {e.BaselineRows} | {1000 * e.BaselineSeconds:F2} | {e.Speedup:F2}× |");
    }

    private static void AppendPhases(StringBuilder sb, IReadOnlyList<TrainingBenchResult> results)
    {
        var timed = results.Where(r => r.PhaseMilliseconds is not null).ToArray();
        if (timed.Length == 0) return;
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine();
        sb.AppendLine("Where a step's time goes (`--phases`): milliseconds per step, each phase's median over the timed epochs; *step* is the sum of those medians, not a median step, so it can read a few per cent off the epoch table's time. *batch*: from the previous step's end (releasing its tensors) through gathering this step's batch; *loss*: the loss and its logit gradient; *estimate*: the method's update. CPU ops run synchronously and on a GPU each phase's end waits for the device, so a phase's wall time is its cost. The timed epochs above are these same epochs: on a GPU their times include those waits, which keep the CPU from queuing work ahead, so they read slower than a run without `--phases`.");
        sb.AppendLine();
        sb.AppendLine("| method | batch | pack | batch | forward | loss | estimate | optimizer | step | step per cell |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in timed)
        {
            var ms = r.PhaseMilliseconds!;
            double step = ms.Values.Sum();
            sb.AppendLine(inv, $"| {r.Method} | {r.BatchSize} | {r.PackSize} | {ms[StepPhase.Batch]:F3} | {ms[StepPhase.Forward]:F3} | {ms[StepPhase.Loss]:F3} | {ms[StepPhase.Estimate]:F3} | {ms[StepPhase.Optimizer]:F3} | {step:F3} | {step / r.PackSize:F3} |");
        }
    }

    private static void AppendMatmulRates(StringBuilder sb, IReadOnlyList<LayerMatmulRates.Rates> rates, double peak)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine();
        sb.AppendLine(inv, $"This model's matmuls, each alone in a loop (`--phases`), GFLOP/s; the run's median matmul peak was {peak:F1}. Layer 0 (the input layer) holds {100 * rates[0].Layer0Share:F0} % of the forward pass's FLOPs.");
        sb.AppendLine();
        sb.AppendLine("| batch | pack | layer 0 forward | layer 0 weight gradient | hidden layer forward |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var r in rates)
            sb.AppendLine(inv, $"| {r.BatchSize} | {r.PackSize} | {r.Layer0Forward:F1} | {r.Layer0Outer:F1} | {r.HiddenForward:F1} |");
    }
}
