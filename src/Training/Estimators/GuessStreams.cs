using System.Runtime.InteropServices;
using GradGuessCluster.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// One seeded N(0, 1) stream per cell for guesses. Each cell draws its own tensor of the same shape in the same order,
/// so its guesses are identical whether it trains alone or inside a pack. On the CPU the streams are
/// <see cref="CounterNormal"/>s written straight into tensor memory; on a GPU, <see cref="SeededDefaultNormal"/>s
/// (draws from the device's default generator, reseeded per draw).
/// Cells with the same seed (an LR sweep's usual pack) have the same stream, alone or packed: it is drawn once per
/// step and copied to the others, which saves most of the generator's time in such packs.
/// </summary>
public sealed class GuessStreams
{
    private readonly CounterNormal[]? _cpu;        // per cell; cells sharing a seed share one instance
    private readonly SeededDefaultNormal[]? _device;  // likewise
    private readonly int[] _leader;                // per cell: the first cell with its seed, the one that draws

    /// <summary>The state of a <see cref="SeededDefaultNormal"/> is [key, draws, DeviceStateTag]; a CPU stream's is
    /// [key, counter]. The tag tells them apart in a checkpoint.</summary>
    private const long DeviceStateTag = 0x6D5EED;

    public GuessStreams(IReadOnlyList<long> seeds, Device device) : this(seeds, device, device.type != DeviceType.CPU) { }

    /// <param name="defaultGenerator">Draw as on a GPU, from the device's default generator (tests use it on the CPU).</param>
    internal GuessStreams(IReadOnlyList<long> seeds, Device device, bool defaultGenerator)
    {
        Device = device;
        PackSize = seeds.Count;
        _leader = Enumerable.Range(0, seeds.Count).Select(p => IndexOf(seeds, seeds[p])).ToArray();
        if (defaultGenerator)
            _device = PerCell(seeds, key => new SeededDefaultNormal(key));
        else
            _cpu = PerCell(seeds, key => new CounterNormal(key));
    }

    /// <summary>One stream per distinct seed, made by its first cell and handed to every cell with that seed.</summary>
    private T[] PerCell<T>(IReadOnlyList<long> seeds, Func<ulong, T> make) where T : class
    {
        var streams = new T[seeds.Count];
        for (int p = 0; p < streams.Length; p++)
            streams[p] = _leader[p] == p ? make(SeedMix.Derive(seeds[p], SeedMix.GuessStream)) : streams[_leader[p]];
        return streams;
    }

    public Device Device { get; }
    public int PackSize { get; }

    /// <summary>Per cell, the first cell with its seed: cells p and q draw the same values iff SharedWith[p] ==
    /// SharedWith[q].</summary>
    public IReadOnlyList<int> SharedWith => _leader;

    /// <summary>N(0, 1) of shape [P, ..shape].</summary>
    public Tensor Normal(params long[] shape)
    {
        if (_cpu is null)
        {
            if (PackSize == 1) return _device![0].Draw(shape, Device).unsqueeze(0);
            var drawn = new Tensor?[PackSize];
            for (int p = 0; p < PackSize; p++)
                drawn[p] = _leader[p] == p ? _device![p].Draw(shape, Device) : drawn[_leader[p]];
            return stack(drawn!, 0);
        }
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
        if (!HostChunks.InOneChunk(target))
        {
            FillCpuByChunks(target);
            return;
        }
        var all = MemoryMarshal.Cast<byte, float>(target.bytes);
        int per = all.Length / PackSize;
        for (int p = 0; p < PackSize; p++)
        {
            var slice = all.Slice(p * per, per);
            if (_leader[p] == p) _cpu![p].Fill(slice);
            else all.Slice(_leader[p] * per, per).CopyTo(slice);
        }
    }

    /// <summary><see cref="FillCpu"/> for a target past a span's reach: row by row, each row chunk by chunk (the draws do
    /// not depend on the chunking).</summary>
    private void FillCpuByChunks(Tensor target)
    {
        using var scope = NewDisposeScope();
        var rows = target.view(PackSize, -1);
        for (int p = 0; p < PackSize; p++)
        {
            if (_leader[p] == p) HostChunks.ForEach([rows[p]], k => _cpu![p].Fill(MemoryMarshal.Cast<byte, float>(k[0].bytes)));
            else rows[p].copy_(rows[_leader[p]]);
        }
    }

    /// <summary>The streams' states for checkpoints, one per cell (cells sharing a seed have equal states), as int64:
    /// [key, counter] on the CPU, [key, draws, <see cref="DeviceStateTag"/>] on a GPU.</summary>
    public Tensor[] GetStates() => _cpu is not null
        ? _cpu.Select(s => tensor(new[] { unchecked((long)s.Key), unchecked((long)s.Counter) })).ToArray()
        : _device!.Select(g => tensor(new[] { unchecked((long)g.Key), unchecked((long)g.Draws), DeviceStateTag })).ToArray();

    /// <summary>
    /// Restores the states <see cref="GetStates"/> returned. A state from the other kind of device (a pack checkpointed
    /// on a GPU and resumed on a CPU slot, or back) cannot continue its stream, so the cell goes on with a fresh stream
    /// derived from that state: deterministic, but not the draws an uninterrupted run would have made.
    /// </summary>
    public void SetStates(IReadOnlyList<Tensor> states)
    {
        if (states.Count != PackSize) throw new ArgumentException($"expected {PackSize} guess-stream states, got {states.Count}");
        for (int p = 0; p < PackSize; p++)
        {
            var s = states[p];
            if (_leader[p] != p)
            {
                // One stream serves both cells, so the checkpoint must hold one state for both.
                if (!SameState(s, states[_leader[p]]))
                    throw new ArgumentException($"guess-stream states {_leader[p]} and {p} differ although the cells share a seed");
                // Its leader, an earlier cell, was just restored.
                if (_cpu is not null) _cpu[p] = _cpu[_leader[p]];
                else _device![p] = _device[_leader[p]];
                continue;
            }
            if (_cpu is not null)
            {
                // The key comes from the state, not the seed: after a continuation across devices it is a derived one.
                // (The checkpoint's fingerprint already ties it to this pack's seeds.)
                var (key, counter) = IsCpuState(s) ? KeyAndCounter(s) : (Continuation(s), 0UL);
                _cpu[p] = new CounterNormal(key) { Counter = counter };
            }
            else
            {
                var (key, draws) = IsDeviceState(s) ? KeyAndCounter(s) : (Continuation(s), 0UL);
                _device![p] = new SeededDefaultNormal(key) { Draws = draws };
            }
        }
    }

    private static bool IsCpuState(Tensor s) => s.dtype == ScalarType.Int64 && s.numel() == 2;

    private static bool IsDeviceState(Tensor s) => s.dtype == ScalarType.Int64 && s.numel() == 3 && s[2].item<long>() == DeviceStateTag;

    /// <summary>
    /// The key of the stream that continues one saved on the other kind of device (or by an older build): derived
    /// from the state's bytes, so the same checkpoint always continues the same way.
    /// </summary>
    private static ulong Continuation(Tensor state) => SeedMix.Derive(Digest(state), SeedMix.GuessStream);

    private static (ulong Key, ulong Counter) KeyAndCounter(Tensor cpuState)
    {
        var v = cpuState.data<long>().ToArray();
        return (unchecked((ulong)v[0]), unchecked((ulong)v[1]));
    }

    /// <summary>A 64-bit digest of a state's bytes (FNV-1a): the same state always yields the same stream.</summary>
    private static long Digest(Tensor state)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in state.contiguous().bytes) h = unchecked((h ^ b) * 1099511628211UL);
        return unchecked((long)h);
    }

    private static bool SameState(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();

    private static int IndexOf(IReadOnlyList<long> seeds, long seed)
    {
        for (int p = 0; ; p++) if (seeds[p] == seed) return p;
    }
}
