using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Model;

/// <summary>
/// PyTorch's nn.Linear default: W and b ~ U(−1/√fan_in, 1/√fan_in). Drawn per cell on the CPU from a generator
/// seeded by the cell's seed, so a cell starts from the same weights alone, inside any pack, and on any device.
/// </summary>
public static class WeightInit
{
    public static float[] Cell(MlpShape shape, long seed)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator(SeedMix.Derive(seed, SeedMix.InitStream), CPU);
        using var s = new HeldScalars();
        var parts = new List<Tensor>();
        for (int i = 0; i < shape.Layers; i++)
        {
            double bound = 1.0 / Math.Sqrt(shape.InSize(i));
            parts.Add(rand([(long)shape.OutSize(i) * shape.InSize(i)], generator: gen).mul_(s[2 * bound]).sub_(s[bound]));
            parts.Add(rand([shape.OutSize(i)], generator: gen).mul_(s[2 * bound]).sub_(s[bound]));
        }
        return cat(parts, 0).data<float>().ToArray();
    }

    /// <summary>Flat [P, N] parameters for cells with the given seeds, on <paramref name="device"/>.</summary>
    public static Tensor Pack(MlpShape shape, IReadOnlyList<long> seeds, Device device)
    {
        using var scope = NewDisposeScope();
        var rows = seeds.Select(s => tensor(Cell(shape, s))).ToArray();
        return stack(rows, 0).to(device).MoveToOuterDisposeScope();
    }
}
