namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The answer to a submit: whether this call created the sweep (false = it existed with the identical spec),
/// and for an extension how many cells and packs it added (<see cref="Cells"/> and <see cref="Packs"/> count them all).
/// <see cref="Priority"/> is the sweep's priority after the call; <see cref="PriorityBefore"/> the one it had, when this
/// call changed it; likewise <see cref="MaxCellsBefore"/>.</summary>
[GenerateSerializer, Immutable, Alias("gg.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Created,
    [property: Id(2)] int Cells,
    [property: Id(3)] int Packs,
    [property: Id(4)] SweepState State,
    [property: Id(5)] int AddedCells = 0,
    [property: Id(6)] int AddedPacks = 0)
{
    [Id(7)] public int Priority { get; init; } = Validation.SweepPriority.Default;
    [Id(8)] public int? PriorityBefore { get; init; }

    /// <summary>The maxCells the sweep had, when this call (an extension changing only it) stored a new one.</summary>
    [Id(9)] public int? MaxCellsBefore { get; init; }

    /// <summary>The sweep's maxCells after the call, when <see cref="MaxCellsBefore"/> is set.</summary>
    [Id(10)] public int? MaxCells { get; init; }

    /// <summary>The epochs the sweep had, when this call (an extension) raised them to its spec's.</summary>
    [Id(11)] public int? EpochsBefore { get; init; }

    /// <summary>The sweep's epochs after the call, when <see cref="EpochsBefore"/> is set.</summary>
    [Id(13)] public int? Epochs { get; init; }

    /// <summary>Completed cells that a raise of epochs queued again, to train on to the new end.</summary>
    [Id(12)] public int ReopenedCells { get; init; }

    /// <summary>Learning rates this call (an extension adding no cell) moved into learningRates from the rowRates of every
    /// row, which trained them already.</summary>
    [Id(14)] public IReadOnlyList<double>? MovedRates { get; init; }

    /// <summary>Whether this call extended the sweep: added cells, or raised its epochs.</summary>
    public bool Extended => AddedCells > 0 || EpochsBefore is not null;
}
