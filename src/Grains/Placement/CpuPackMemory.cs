using GradGuessCluster.Training;

namespace GradGuessCluster.Grains.Placement;

/// <summary>
/// The memory the packs training on this silo's CPU hold at least (weights, gradient and optimizer state, as
/// <c>PackWorkload.TrainingStateBytes</c> counts them), against what the machine has. A pack that would take them past it
/// is not started here: the kernel would kill the whole silo for memory mid-epoch, and every pack on it with it. The
/// figure is a lower bound (activations and data come on top), so a pack admitted may still not fit; one refused surely
/// would not. GPU packs hold their state in device memory and are not counted.
/// </summary>
public sealed class CpuPackMemory(long capacityBytes)
{
    private readonly Dictionary<GrainId, long> _held = [];
    private readonly Lock _lock = new();

    public long CapacityBytes => capacityBytes;

    /// <summary>Null once <paramref name="bytes"/> are held for <paramref name="pack"/> (a restarted pack replaces its own
    /// hold); otherwise why not, in one line.</summary>
    public string? TryHold(GrainId pack, long bytes)
    {
        lock (_lock)
        {
            _held.Remove(pack);
            long others = _held.Values.Sum();
            if (others + bytes <= capacityBytes)
            {
                _held[pack] = bytes;
                return null;
            }
            return $"not enough memory for it on this silo's CPU: it holds at least {Units.Bytes(bytes)} (weights, gradient and " +
                   "optimizer state)" + (_held.Count == 0 ? "" : $", the {_held.Count} pack(s) training there {Units.Bytes(others)},") +
                   $" and the machine has {Units.Bytes(capacityBytes)}";
        }
    }

    public void Release(GrainId pack)
    {
        lock (_lock) _held.Remove(pack);
    }
}
