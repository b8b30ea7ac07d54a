using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>What a selection window may average: one spec's <c>selection.window</c> and the <c>--window</c> of results and
/// compare are judged by the same words.</summary>
public static class SelectionWindow
{
    /// <summary>Why averaging <paramref name="window"/> evaluations of <paramref name="spec"/>'s curves, ending at
    /// <paramref name="at"/> (at <paramref name="epoch"/> for <see cref="SelectionPoint.Epoch"/>; anywhere up to the last
    /// for <see cref="SelectionPoint.Best"/>), reads nothing sound; null when it does.</summary>
    public static string? Problem(SweepSpec spec, SelectionPoint at, int? epoch, int window)
    {
        if (window < 1 || window > SelectionSpec.MaxWindow)
            return $"must be between 1 and {SelectionSpec.MaxWindow}, the evaluations each curve's accuracies are averaged over (got {window})";
        // A spec refused for its epochs or evaluateEvery has its own error; its evaluations are not counted.
        if (spec.Epochs < 1 || spec.EvaluateEvery < 1) return null;
        var end = at == SelectionPoint.Epoch && epoch is { } e ? Math.Min(e, spec.Epochs) : spec.Epochs;
        var held = spec.EvaluationsUpTo(end);
        return window <= held ? null
            : $"a window of {window} evaluations, but each curve holds {held} up to epoch {end} " +
              (spec.EvaluateEvery == 1 ? "(one per epoch)"
                  : $"(one every {spec.EvaluateEvery} epochs{(end == spec.Epochs && end % spec.EvaluateEvery != 0 ? ", and the last" : "")})");
    }
}
