using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Rendering;

/// <summary>A running sweep's time left at its recent pace (<see cref="SweepStatus.SecondsLeft"/>), said as coarsely as
/// the pace deserves: "about 3 h 05 min left", "about 12 min left", "under a minute left".</summary>
internal static class TimeLeft
{
    /// <summary>", about 12 min left", or "" when there is no pace (yet) or the sweep has ended.</summary>
    public static string Suffix(SweepStatus status) => status.SecondsLeft is { } seconds ? ", " + Describe(TimeSpan.FromSeconds(seconds)) : "";

    public static string Describe(TimeSpan left) => Duration(left) + " left";

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
