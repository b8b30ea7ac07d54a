using System.Globalization;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>A pack whose start failed for a reason that may pass (an outage, a volume that is not there yet), in memory
/// only: it is not admitted again before <see cref="NotBefore"/>. The pause doubles from half a second to a minute, so
/// that a pack that cannot start neither spins nor keeps taking the slot that the packs behind it could train in.</summary>
internal sealed record StartBackoff(int Failures, TimeSpan Pause, DateTimeOffset NotBefore, string Reason)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500), Longest = TimeSpan.FromMinutes(1);

    /// <summary>Failures from which status shows it: one alone is often a moment's (a silo just lost).</summary>
    public const int Shown = 2;

    public static StartBackoff After(StartBackoff? previous, string reason, DateTimeOffset now)
    {
        var failures = (previous?.Failures ?? 0) + 1;
        var pause = DoublingPause.After(failures, First, Longest);
        return new StartBackoff(failures, pause, now + pause, reason);
    }

    /// <summary>"pack P could not be started (3 tries, the next after 2 s): REASON", for status (<paramref name="what"/>
    /// says what went wrong). It changes only with a failure (no countdown), so progress written to a file says it once
    /// per try, not once per poll.</summary>
    public string Describe(string packId, string what = "could not be started")
    {
        var pause = Pause >= TimeSpan.FromMinutes(1) ? "1 min" : Pause.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
        return $"pack {packId} {what} ({Failures} {(Failures == 1 ? "try" : "tries")}, the next after {pause}): {Reason}";
    }
}
