using System.Diagnostics;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// Times an evaluation, the accuracy of every cell on the training and the test split that a sweep computes after every
/// epoch by default (<c>evaluateEvery: 1</c>), at each pack size: in the chunks the trainer uses, against chunks of up to
/// <see cref="Evaluator.MaxChunkRows"/> rows (the trainer's on every device before 2026-12-04, a GPU's still). The two
/// run in turn, round after round, so drift in the machine's speed hits them alike.
/// </summary>
internal static class EvaluationBench
{
    /// <param name="ChunkRows">The trainer's rows per chunk; <paramref name="BaselineRows"/> the large chunks'.</param>
    /// <param name="Seconds">Median seconds of one evaluation (both splits) in the trainer's chunks.</param>
    public sealed record Result(int PackSize, long ChunkRows, double Seconds, long BaselineRows, double BaselineSeconds)
    {
        public double Speedup => BaselineSeconds / Seconds;
    }

    /// <summary>Untimed rounds before the timed ones: the bench's warm-up epochs, but at least one, since the first
    /// evaluation pays for allocations and cold caches.</summary>
    public static int UntimedRounds(int warmup) => Math.Max(warmup, 1);

    public static IReadOnlyList<Result> Measure(Dataset data, MlpShape shape, IReadOnlyList<int> packSizes, BenchDevice device,
        int warmup, int timed, CancellationToken cancellationToken) =>
        packSizes.Select(p => Measure(data, shape, p, device, warmup, timed, cancellationToken)).ToArray();

    private static Result Measure(Dataset data, MlpShape shape, int packSize, BenchDevice device, int warmup, int timed,
        CancellationToken cancellationToken)
    {
        // Evaluation costs the same whatever the weights: a fresh pack of seeded cells stands for a trained one.
        using var model = MlpPack.Create(shape, Enumerable.Range(0, packSize).Select(p => (long)p).ToArray(), device.Device);
        long rows = Evaluator.ChunkRows(packSize, shape.WidestOutput, device.Device.type);
        long baselineRows = Evaluator.BoundedChunkRows(packSize, shape.WidestOutput);
        List<double> seconds = [], baseline = [];
        int untimed = UntimedRounds(warmup);
        for (int round = 0; round < untimed + timed; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double ours = Time(model, data, rows), theirs = Time(model, data, baselineRows);
            if (round < untimed) continue;
            seconds.Add(ours);
            baseline.Add(theirs);
        }
        return new Result(packSize, rows, Stats.Median(seconds), baselineRows, Stats.Median(baseline));
    }

    private static double Time(MlpPack model, Dataset data, long chunkRows)
    {
        var clock = Stopwatch.StartNew();
        Evaluator.Accuracy(model, data.TrainX, data.TrainY, chunkRows);
        Evaluator.Accuracy(model, data.TestX, data.TestY, chunkRows);   // each reads its counts back: no wait needed on a GPU
        return clock.Elapsed.TotalSeconds;
    }
}
