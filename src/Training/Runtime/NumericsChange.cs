namespace GradGuessCluster.Training.Runtime;

/// <summary>A pack resumed under other numerics than its checkpoint was written under.</summary>
/// <param name="Stored">The checkpoint's <see cref="NumericsPath"/>.</param>
/// <param name="Now">This process's, for the pack's device.</param>
public sealed record NumericsChange(string Stored, string Now)
{
    /// <summary>One sentence for a log or the terminal, naming the checkpoint.</summary>
    public string Describe(string checkpoint) =>
        $"{checkpoint} was written under {Stored}, and this run computes under {Now}: training goes on from it correctly, but "
        + "its curve from here can differ in the last bits from a run that was never interrupted";
}
