namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The names a selection rule is written with, in a spec (<c>selection:</c>) and on the command line
/// (<c>results --metric/--at</c>): one list, so the two cannot drift apart.</summary>
public static class SelectionNames
{
    public static readonly IReadOnlyList<string> Metrics = ["trainAccuracy", "testAccuracy"];
    public static readonly IReadOnlyList<string> Points = ["final", "best"];

    /// <summary>The metric named <paramref name="name"/> (one of <see cref="Metrics"/>); null reads as the default.</summary>
    public static SelectionMetric Metric(string? name) =>
        name == "testAccuracy" ? SelectionMetric.TestAccuracy : SelectionMetric.TrainAccuracy;

    /// <summary>The point named <paramref name="name"/> (one of <see cref="Points"/>); null reads as the default.</summary>
    public static SelectionPoint Point(string? name) => name == "best" ? SelectionPoint.Best : SelectionPoint.Final;
}
