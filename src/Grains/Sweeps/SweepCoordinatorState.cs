using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>The coordinator's durable ledger: the spec and one small entry per cell (no curves).</summary>
[GenerateSerializer, Alias("gg.SweepCoordinatorState")]
public sealed class SweepCoordinatorState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(1)] public SweepState State { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(4)] public Dictionary<string, CellEntry> Cells { get; set; } = new();
    /// <summary>A delete has begun: set before the first file goes, so an interrupted delete is not mistaken for a sweep.</summary>
    [Id(5)] public bool Deleting { get; set; }
    /// <summary>New for every submit that creates the sweep (<see cref="Interfaces.Contracts.PackWork.Incarnation"/>); null in
    /// ledgers written before it existed.</summary>
    [Id(6)] public string? Incarnation { get; set; }
    /// <summary>The specs this sweep had before each extension, oldest first (null if never extended): their cells keep
    /// the packs they were created in (<see cref="SweepGrid.Expand"/>).</summary>
    [Id(7)] public List<SweepSpec>? EarlierSpecs { get; set; }
    /// <summary>The data the sweep's packs train on, as the first pack to start read it; null until one has started (and in
    /// ledgers written before it was kept, until a pack starts again).</summary>
    [Id(8)] public DataRead? Data { get; set; }
    /// <summary>Slots its packs gave to other sweeps (fair share); null while none has.</summary>
    [Id(9)] public SlotYields? Yields { get; set; }
    /// <summary>Its weight in the fair share of slots (<see cref="Interfaces.Validation.SweepPriority"/>); null: the default.</summary>
    [Id(10)] public int? Priority { get; set; }
    /// <summary>Cells of later generations that a rebuild from an older spec left out of the grid (null if none): their
    /// curves stay stored, and a delete must remove them too, or a later sweep of this name would take them as its own.</summary>
    [Id(11)] public List<string>? LeftOutCells { get; set; }
    /// <summary>Its packs' resumes under other numerics than their checkpoints were written under; null while none has.</summary>
    [Id(12)] public NumericsResumes? Numerics { get; set; }
}
