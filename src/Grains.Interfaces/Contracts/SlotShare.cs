namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The slot ledger's answer to a sweep asking for slots.</summary>
/// <param name="Granted">Packs the sweep may start now.</param>
/// <param name="Total">Training slots over the live silos (0: no silo trains).</param>
/// <param name="Sweeps">Sweeps holding or waiting for slots, the asking one included.</param>
/// <param name="NoRoom">While packs of the sweep wait: free slots they were not granted because the memory for packs
/// (<c>cpu.memory</c>) of the silos those slots are on is held by the packs there.</param>
[GenerateSerializer, Immutable, Alias("gg.SlotShare")]
public sealed record SlotShare(
    [property: Id(0)] int Granted,
    [property: Id(1)] int Total,
    [property: Id(2)] int Sweeps,
    [property: Id(3)] int NoRoom = 0);
