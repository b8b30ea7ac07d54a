using System.Globalization;
using GradGuessCluster.Training.Estimators;

namespace GradGuessCluster.Client.Rendering;

/// <summary>A cell's guess options that differ from the defaults, as <c>train</c> and <c>bench</c> take them on the
/// command line (<c>--guesses 4</c>, <c>--per-layer</c>, ...): both change what a guessing cell trains to and what it
/// costs, so a train's header and a bench's section name them.</summary>
internal static class GuessOptionText
{
    public static IEnumerable<string> NonDefault(EstimatorSettings est)
    {
        var defaults = new EstimatorSettings(est.Kind);
        if (est.Guesses != defaults.Guesses) yield return $"--guesses {est.Guesses}";
        if (est.OnePass != defaults.OnePass) yield return "--per-layer";
        if (est.Normalise is { } normalise) yield return $"--normalise {(normalise ? "on" : "off")}";
        if (est.MatchedCosine != defaults.MatchedCosine)
            yield return $"--matched-cosine {est.MatchedCosine.ToString("R", CultureInfo.InvariantCulture)}";
    }
}
