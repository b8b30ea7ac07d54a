namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>One learning rate of a results row: its score under the row's selection rule (the mean over its seeds), or
/// why it has none. The whole response of a method × optimizer to its learning rate, where the row's winner and lead
/// say only the top of it.</summary>
/// <param name="Score">The selection metric as ranked (a fraction), averaged over the seeds; null unless
/// <see cref="RateOutcome.Scored"/> (or a completed curve with nothing to read at the rule's point).</param>
/// <param name="ScoreStd">Its sample standard deviation over the seeds; null with one seed.</param>
/// <param name="DivergedSeeds">How many of its seeds diverged: one is enough to rule it out, and where others completed
/// their curves are there to read (0 from a silo of a build before this count).</param>
/// <param name="Seeds">How many seeds it has in the grid (0 from a silo of a build before this count).</param>
[GenerateSerializer, Immutable, Alias("gg.RateScore")]
public sealed record RateScore(
    [property: Id(0)] double LearningRate,
    [property: Id(1)] RateOutcome Outcome,
    [property: Id(2)] double? Score = null,
    [property: Id(3)] double? ScoreStd = null,
    [property: Id(4)] int DivergedSeeds = 0,
    [property: Id(5)] int Seeds = 0)
{
    /// <summary>Ruled out by a divergence on some of its seeds, not all (known only from rows that count them).</summary>
    public bool PartlyDiverged => Outcome == RateOutcome.Diverged && DivergedSeeds > 0 && DivergedSeeds < Seeds;
}

/// <summary>Whether a learning rate competed in its row's selection, as <see cref="RateScore"/> tells it.</summary>
public enum RateOutcome
{
    /// <summary>Every seed completed: the rate competed.</summary>
    Scored,

    /// <summary>A seed diverged: the rate is ruled out (a result).</summary>
    Diverged,

    /// <summary>A seed failed or was cancelled: not compared until a resume retries it.</summary>
    Failed,

    /// <summary>A seed is still queued or running.</summary>
    Pending,
}
