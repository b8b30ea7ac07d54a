using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// An N(0, 1) guess stream on a GPU. TorchSharp 0.107 cannot make a generator on a CUDA device (its native
/// <c>THSGenerator_new</c> always makes a CPU one, and randn on cuda:0 with it throws), and of the device's default
/// generator it exposes only the seeding. So every draw seeds that generator from the stream's (key, draws) and
/// launches its randn, both under one process-wide lock: each draw is a pure function of the stream's state, however
/// many packs share the GPU, and the state is two numbers that a checkpoint holds exactly. (The generator's offset
/// is taken when the kernel is launched, so the lock need not wait for the kernel.)
/// </summary>
public sealed class SeededDefaultNormal(ulong key)
{
    private static readonly Lock Gate = new();

    public ulong Key { get; } = key;

    /// <summary>Draws made so far: the next one is seeded from (Key, Draws).</summary>
    public ulong Draws { get; set; }

    public Tensor Draw(long[] shape, Device device)
    {
        long seed = unchecked((long)SeedMix.Derive(unchecked((long)Key), SeedMix.GuessStream, unchecked((long)Draws)));
        lock (Gate)
        {
            if (device.type == DeviceType.CUDA) cuda.manual_seed_all(seed);
            else manual_seed(seed);     // the CPU's default generator: how the tests exercise this path
            Draws++;
            return randn(shape, device: device);
        }
    }
}
