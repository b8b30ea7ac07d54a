using System.Globalization;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Planning;

/// <summary>What a spec alone warns of, before any data or timing (<see cref="PlanWarnings"/> adds those): settings no
/// method or optimizer of the grid reads, and methods that are one method under two names. Warned of, not refused: a
/// stored sweep's spec must stay accepted as it was.</summary>
internal static class SpecWarnings
{
    public static IReadOnlyList<string> For(SweepSpec spec) => [.. UnreadSettings.For(spec), .. OneOracleTwice(spec)];

    /// <summary>A plain <c>matched-noise</c> trains at <c>estimator.matchedCosine</c> (0.1 unless given); a
    /// <c>matched-noise@C</c> at that same cosine trains the same cells bit for bit under another name: twice the time,
    /// and two rows of results that only look like two findings.</summary>
    private static IEnumerable<string> OneOracleTwice(SweepSpec spec)
    {
        if (!spec.Methods.Contains(SpecNames.MatchedNoise)) yield break;
        var cosine = spec.EstimatorOrDefault.MatchedCosine;
        if (spec.Methods.FirstOrDefault(m => SpecNames.MatchedNoiseCosine(m) == cosine) is not { } twin) yield break;
        yield return $"methods: {SpecNames.MatchedNoise} (estimator.matchedCosine {cosine.ToString("R", CultureInfo.InvariantCulture)}) " +
                     $"and {twin} are the same oracle: the grid trains their cells twice, alike, under two names; drop one";
    }
}
