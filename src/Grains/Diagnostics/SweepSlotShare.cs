namespace GradGuessCluster.Grains.Diagnostics;

/// <summary>A sweep's place in the fair share of training slots, as its coordinator publishes it.</summary>
/// <param name="Held">Slots its packs hold or are taking (0 once it has stopped).</param>
/// <param name="Waiting">Its packs ready to start without a slot (0 once it has stopped).</param>
/// <param name="Priority">Its weight in the share.</param>
/// <param name="Preempted">Packs of it that have yielded their slot to another sweep, ever (from its stored ledger).</param>
public sealed record SweepSlotShare(int Held, int Waiting, int Priority, int Preempted);
