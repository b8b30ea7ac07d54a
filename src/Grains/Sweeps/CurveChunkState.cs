using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>Up to <see cref="CurveStore.ChunkSize"/> consecutive epoch records of one cell: one storage record
/// (<c>{sweep}/{cell}/{k}</c>), so a write never grows with the length of the curve.</summary>
[GenerateSerializer, Alias("gg.CurveChunkState")]
public sealed class CurveChunkState
{
    [Id(0)] public List<EpochRecord> Records { get; set; } = [];
}
