using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// PyTorch's nn.Linear default: W and b ~ U(−1/√fan_in, 1/√fan_in), or with a scale s, U(−s/√fan_in, s/√fan_in): the
/// same draws times s (to rounding), so a scaled net starts nearer the origin along the same directions. Drawn per cell
/// on the CPU from a generator seeded by the cell's seed, so a cell starts from the same weights alone, inside any
/// pack, and on any device.
/// </summary>
public static class WeightInit
{
    /// <summary>Flat [P, N] parameters for cells with the given seeds, on <paramref name="device"/>. Each layer's draws
    /// go straight into the cell's row, so building a pack takes its own size in memory and one layer's draws more (a
    /// wide model's pack is gigabytes).</summary>
    public static Tensor Pack(MlpShape shape, IReadOnlyList<long> seeds, Device device, double scale = 1.0)
    {
        using var scope = NewDisposeScope();
        var flat = empty(seeds.Count, shape.ParameterCount);
        for (int p = 0; p < seeds.Count; p++) Cell(shape, seeds[p], scale, flat[p]);
        return flat.to(device).MoveToOuterDisposeScope();
    }

    /// <summary>Writes one cell's initial weights and biases into <paramref name="row"/> ([N]), layer by layer.</summary>
    private static void Cell(MlpShape shape, long seed, double scale, Tensor row)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(SeedMix.Derive(seed, SeedMix.InitStream), CPU);
        using var s = new HeldScalars();
        long offset = 0;
        void Draw(long count, double bound)
        {
            using var draws = rand([count], generator: gen).mul_(s[2 * bound]).sub_(s[bound]);
            row.narrow(0, offset, count).copy_(draws);
            offset += count;
        }
        for (int i = 0; i < shape.Layers; i++)
        {
            double bound = scale / Math.Sqrt(shape.InSize(i));
            Draw((long)shape.OutSize(i) * shape.InSize(i), bound);
            Draw(shape.OutSize(i), bound);
        }
    }
}
