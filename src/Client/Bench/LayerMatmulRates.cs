using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Bench;

/// <summary>
/// GFLOP/s of the model's own matmuls at one batch and pack size, each alone in a loop: layer 0's forward (the shared
/// batch against every cell's weights, most of the FLOPs), its weight-gradient outer product, and one hidden layer's
/// forward. Set beside the matmul peak they show how much of a step's speed a pack can still gain.
/// </summary>
internal static class LayerMatmulRates
{
    /// <param name="Layer0Share">Layer 0's part of the forward pass's FLOPs.</param>
    public sealed record Rates(int BatchSize, int PackSize, double Layer0Forward, double Layer0Outer, double HiddenForward, double Layer0Share);

    public static Rates Measure(MlpShape shape, int batchSize, int packSize, BenchDevice device, int repeats = 100)
    {
        using var scope = NewDisposeScope();
        int width = shape.Width, features = shape.Inputs;
        var on = device.Device;
        var x = randn(batchSize, features, device: on);
        var w0 = randn(packSize, width, features, device: on);
        var b0 = randn(packSize, width, device: on);
        var grad0 = empty(packSize, width, features, device: on);
        var g = randn(packSize, batchSize, width, device: on);
        var h = randn(packSize, batchSize, width, device: on);
        var w1 = randn(packSize, width, width, device: on);
        var b1 = randn(packSize, width, device: on);
        double flops0 = 2.0 * batchSize * features * width * packSize, flopsHidden = 2.0 * batchSize * width * width * packSize;
        return new Rates(batchSize, packSize,
            Rate(() => PackLinear.Apply(x, w0, b0), flops0, repeats, device.Synchronise),
            Rate(() => { PackLinear.OuterSumInto(g, x, grad0); return grad0; }, flops0, repeats, device.Synchronise),
            Rate(() => PackLinear.Apply(h, w1, b1), flopsHidden, repeats, device.Synchronise),
            (double)features * width / Enumerable.Range(0, shape.Layers).Sum(i => (double)shape.InSize(i) * shape.OutSize(i)));
    }

    /// <summary>GFLOP/s of the median run (after a tenth as many warm-up runs).</summary>
    private static double Rate(Func<Tensor> op, double flops, int repeats, Action? synchronise) =>
        flops / Stats.Median(OpTimer.Seconds(op, repeats, warmup: repeats / 10, synchronise)) / 1e9;
}
