using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>A running sweep's time left at its recent pace (<see cref="SweepStatus.SecondsLeft"/>), said as coarsely as
/// the pace deserves: "about 3 h 05 min left", "about 12 min left", "under a minute left".</summary>
internal static class TimeLeft
{
    /// <summary>", about 12 min left", ", about 3 h 05 min left (ends about 14:05 UTC)", or "" when there is no pace (yet)
    /// or the sweep has ended.</summary>
    public static string Suffix(SweepStatus status) => Suffix(status, DateTimeOffset.UtcNow);

    public static string Suffix(SweepStatus status, DateTimeOffset now) =>
        status.SecondsLeft is { } seconds ? ", " + Duration(seconds) + " left" + Ends(seconds, now) : "";

    /// <summary>" (ends about 14:05 UTC)" from an hour left, when a time of day is easier to plan by than a duration;
    /// " (ends about Dec 9 14:05 UTC)" on another day; "" under an hour or past a year (a stall's pace, not a date).</summary>
    public static string Ends(double seconds, DateTimeOffset now)
    {
        if (seconds < 3600 || seconds > 365 * 86_400.0) return "";
        var end = now.UtcDateTime.AddSeconds(seconds);
        var format = end.Date == now.UtcDateTime.Date ? "HH:mm" : end.Year == now.UtcDateTime.Year ? "MMM d HH:mm" : "MMM d yyyy HH:mm";
        return $" (ends about {end.ToString(format, CultureInfo.InvariantCulture)} UTC)";
    }

    public static string Describe(TimeSpan left) => Duration(left) + " left";

    /// <summary>As <see cref="Duration(TimeSpan)"/>, for seconds at a pace, which can be more than a TimeSpan holds (one
    /// epoch stored after days of a stall; a plan's slow rate for a big grid): said as "more than 100 years".</summary>
    public static string Duration(double seconds) =>
        seconds > MaxYears * 365.25 * 86_400 ? $"more than {MaxYears} years" : Duration(TimeSpan.FromSeconds(seconds));

    internal const int MaxYears = 100;

    /// <summary>"about 12 min", "under a minute": for a column already headed "time left".</summary>
    public static string Duration(TimeSpan left)
    {
        if (left < TimeSpan.FromMinutes(1)) return "under a minute";
        var minutes = (long)Math.Round(left.TotalMinutes);
        return minutes < 60
            ? $"about {minutes.ToString(CultureInfo.InvariantCulture)} min"
            : $"about {(minutes / 60).ToString(CultureInfo.InvariantCulture)} h {(minutes % 60).ToString("00", CultureInfo.InvariantCulture)} min";
    }
}
