using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>A running sweep's time left at its recent pace (<see cref="SweepStatus.SecondsLeft"/>), said as coarsely as
/// the pace deserves: "about 3 h 05 min left", "about 12 min left", "under a minute left".</summary>
internal static class TimeLeft
{
    /// <summary>", about 12 min left", or "" when there is no pace (yet) or the sweep has ended.</summary>
    public static string Suffix(SweepStatus status) => status.SecondsLeft is { } seconds ? ", " + Duration(seconds) + " left" : "";

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
