namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>The lower-case names of <see cref="SweepState"/>, as the CLI prints them.</summary>
public static class SweepStates
{
    /// <summary>"running", "completed", "cancelled".</summary>
    public static string Name(this SweepState state) => state.ToString().ToLowerInvariant();
}
