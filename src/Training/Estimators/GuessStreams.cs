using System.Runtime.InteropServices;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// One seeded N(0, 1) stream per cell for guesses. Each cell draws its own tensor of the same shape in the same order,
/// so its guesses are identical whether it trains alone or inside a pack. On the CPU the streams are
/// <see cref="CounterNormal"/>s written straight into tensor memory; on a GPU, libtorch generators on that device.
/// </summary>
public sealed class GuessStreams : IDisposable
{
    private readonly CounterNormal[]? _cpu;
    private readonly Generator[]? _device;

    public GuessStreams(IReadOnlyList<long> seeds, Device device)
    {
        Device = device;
        if (device.type == DeviceType.CPU)
            _cpu = seeds.Select(s => new CounterNormal(SeedMix.Derive(s, SeedMix.GuessStream))).ToArray();
        else
            _device = seeds.Select(s => new Generator(SeedMix.Derive(s, SeedMix.GuessStream), device)).ToArray();
        PackSize = seeds.Count;
    }

    public Device Device { get; }
    public int PackSize { get; }

    /// <summary>N(0, 1) of shape [P, ..shape].</summary>
    public Tensor Normal(params long[] shape)
    {
        if (_cpu is null)
            return PackSize == 1
                ? randn(shape, generator: _device![0], device: Device).unsqueeze(0)
                : stack(_device!.Select(g => randn(shape, generator: g, device: Device)), 0);
        var result = empty([PackSize, .. shape], dtype: ScalarType.Float32);
        FillCpu(result);
        return result;
    }

    /// <summary>Overwrites <paramref name="target"/> ([P, ...], float32, contiguous) with the same draws
    /// <see cref="Normal"/> would return for its shape, without allocating a new tensor.</summary>
    public void NormalInto(Tensor target)
    {
        if (target.shape[0] != PackSize || target.dtype != ScalarType.Float32 || !target.is_contiguous())
            throw new ArgumentException($"target must be a contiguous float32 [{PackSize}, ...] tensor", nameof(target));
        if (_cpu is null)
        {
            using var draws = Normal(target.shape[1..]);
            target.copy_(draws);
            return;
        }
        FillCpu(target);
    }

    private void FillCpu(Tensor target)
    {
        var all = MemoryMarshal.Cast<byte, float>(target.bytes);
        int per = all.Length / PackSize;
        for (int p = 0; p < PackSize; p++) _cpu![p].Fill(all.Slice(p * per, per));
    }

    /// <summary>The streams' states for checkpoints: [key, counter] as int64 on the CPU, or a GPU generator's bytes.</summary>
    public Tensor[] GetStates() => _cpu is not null
        ? _cpu.Select(s => tensor(new[] { unchecked((long)s.Key), unchecked((long)s.Counter) })).ToArray()
        : _device!.Select(g => g.get_state().cpu()).ToArray();

    public void SetStates(IReadOnlyList<Tensor> states)
    {
        if (states.Count != PackSize) throw new ArgumentException($"expected {PackSize} guess-stream states, got {states.Count}");
        for (int p = 0; p < PackSize; p++)
        {
            if (_cpu is null) { _device![p].set_state(states[p]); continue; }
            var s = states[p];
            if (s.dtype != ScalarType.Int64 || s.numel() != 2)
                throw new ArgumentException($"guess-stream state {p} is not a CPU stream state (a checkpoint from a GPU run?)");
            var v = s.data<long>().ToArray();
            if (unchecked((ulong)v[0]) != _cpu[p].Key) throw new ArgumentException($"guess-stream state {p} has another seed");
            _cpu[p].Counter = unchecked((ulong)v[1]);
        }
    }

    public void Dispose()
    {
        foreach (var g in _device ?? []) g.Dispose();
    }
}
