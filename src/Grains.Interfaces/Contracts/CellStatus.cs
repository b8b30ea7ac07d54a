namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One cell as the client sees it: where it is in the grid, how far it got, its latest numbers.</summary>
/// <param name="Epoch">Last epoch durably recorded (0 = none yet).</param>
/// <param name="TrainAccuracy">Latest evaluated training accuracy.</param>
/// <param name="Device">"cuda:N" or "cpu" while running; null otherwise.</param>
/// <param name="SecondsLeft">While running: seconds until its pack has trained its epochs, at that pack's own recent pace;
/// null until the pack has reported twice (and offline, where no reports come in).</param>
[GenerateSerializer, Immutable, Alias("gg.CellStatus")]
public sealed record CellStatus(
    [property: Id(0)] string CellId,
    [property: Id(1)] string PackId,
    [property: Id(2)] CellConfig Config,
    [property: Id(3)] CellState State,
    [property: Id(4)] int Epoch,
    [property: Id(5)] int Epochs,
    [property: Id(6)] double? TrainAccuracy,
    [property: Id(7)] double? TestAccuracy,
    [property: Id(8)] double? TrainLoss,
    [property: Id(9)] string? Device,
    [property: Id(10)] string? Silo,
    [property: Id(11)] string? Error,
    [property: Id(12)] double? SecondsLeft = null);
