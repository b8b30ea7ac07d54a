namespace GradGuessCluster.Training.Runtime;

/// <summary>A pack resumed under other numerics than its checkpoint was written under.</summary>
/// <param name="Stored">The checkpoint's <see cref="NumericsPath"/>.</param>
/// <param name="Now">This process's, for the pack's device.</param>
public sealed record NumericsChange(string Stored, string Now)
{
    /// <summary>What such a resume means, in the one wording that train, the silo's log and status share.</summary>
    public const string Consequence = "training goes on correctly, but its curves can differ from here in the last bits from an uninterrupted run's";

    /// <summary>One sentence for a log or the terminal, naming the checkpoint.</summary>
    public string Describe(string checkpoint) => $"{checkpoint} was written under {Stored}, and this run computes under {Now}: {Consequence}";
}
