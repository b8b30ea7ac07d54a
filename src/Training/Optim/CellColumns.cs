using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// Per-cell hyperparameters as [P, 1] columns on the pack's device, which broadcast over the cells' rows of a [P, N]
/// tensor: the whole pack updates in a fixed number of kernel launches instead of a few per cell. On a GPU a launch
/// costs about as much as a small update, so the per-cell loop grew with the pack: 4.2 ms of a 5.4 ms step for 64
/// cells on an H200 (docs/GPU.md). On one CPU thread the per-cell loop (or the fused kernels) stays faster.
/// </summary>
internal static class CellColumns
{
    /// <summary>A float64 column of one value per cell; the caller owns it.</summary>
    public static Tensor Of(IReadOnlyList<OptimizerSettings> cells, Func<OptimizerSettings, double> value, Device device) =>
        tensor(cells.Select(value).ToArray(), dtype: ScalarType.Float64).view(-1, 1).to(device).DetachFromDisposeScope();

    /// <summary>A float32 column (the value rounded as a float32 cast rounds it); the caller owns it.</summary>
    public static Tensor OfFloat32(IReadOnlyList<OptimizerSettings> cells, Func<OptimizerSettings, double> value, Device device) =>
        tensor(cells.Select(c => (float)value(c)).ToArray()).view(-1, 1).to(device).DetachFromDisposeScope();

    /// <summary>The per-cell loop by default on the CPU, the whole-pack update elsewhere.</summary>
    public static bool WholePackByDefault(Device device) => device.type != TorchSharp.DeviceType.CPU;

    /// <summary>A float32 copy of a float64 column, for broadcasting over float32 rows (made in the caller's scope).</summary>
    public static Tensor F32(this Tensor column) => column.to_type(ScalarType.Float32);
}
