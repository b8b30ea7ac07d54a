using System.Globalization;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>A pack whose start found no free slot (<c>NoTrainingSlotException</c>): admitted by the slot ledger, another
/// start took the slot first or the ledger still counted a silo that just left; re-poked by the watchdog after its silo
/// died, the cluster had no slot left (worded so as to fit both),
/// in memory only. Not a failed start but a wait for a slot: it is not admitted again before <see cref="NotBefore"/>, a
/// pause doubling from half a second to four seconds. Short, so that a slot that frees is taken within seconds (a failed
/// start's backoff would leave it idle up to a minute); growing, so that a ledger that keeps counting a slot that is not
/// there (until the lost silo is declared dead) costs each such pack a placement every few seconds, not a hot loop.</summary>
internal sealed record PlacementWait(int Refusals, TimeSpan Pause, DateTimeOffset NotBefore, string Reason)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500), Longest = TimeSpan.FromSeconds(4);

    public static PlacementWait After(PlacementWait? previous, string reason, DateTimeOffset now)
    {
        var refusals = (previous?.Refusals ?? 0) + 1;
        var pause = DoublingPause.After(refusals, First, Longest);
        return new PlacementWait(refusals, pause, now + pause, reason);
    }

    /// <summary>"pack P waits for a slot: no free training slot on silo-1; tried again after 2 s", for status. It changes
    /// only with a refusal (no countdown).</summary>
    public string Describe(string packId) =>
        $"pack {packId} waits for a slot: {Reason}; tried again after " +
        Pause.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
