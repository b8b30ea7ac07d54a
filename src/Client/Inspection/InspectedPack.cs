using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Inspection;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Inspection;

/// <summary>A checkpoint's pack as <c>inspect</c> shows it (and its <c>--json</c>).</summary>
/// <param name="Examples">The training examples the figures are over.</param>
/// <param name="InitScale">The initial weights' scale against PyTorch's default; null when it was the default.</param>
/// <param name="Guesses">K, the guesses averaged per step.</param>
/// <param name="OnePass">Whether all layers' guesses went through one tangent pass (false: a pass per layer).</param>
/// <param name="Normalise">Whether guesses were normalised per example (the method's default unless the spec said).</param>
/// <param name="GuessOptions">Those of the pack's guess options that differ from the defaults, as train takes them
/// (<c>--guesses 4</c>, <c>--per-layer</c>): they decide what the weights were trained toward, so the header names them.</param>
/// <param name="InitDigest">The digest of the weights file the pack started from (<c>train --init</c>, <c>model.init</c>);
/// null when its weights were drawn.</param>
internal sealed record InspectedPack(string Checkpoint, int Epoch, string Data, long Examples, string Method, double? InitScale,
    int Guesses, bool OnePass, bool Normalise, IReadOnlyList<string> GuessOptions, IReadOnlyList<InspectedCell> Cells, string? InitDigest = null)
{
    public static InspectedPack Of(string file, CheckpointState state, PackSpec spec, Dataset data, IReadOnlyList<CellAnatomy> cells) =>
        new(file, state.Epoch, data.Name, data.TrainCount, MethodName(spec.Estimator), spec.InitScale, spec.Estimator.Guesses,
            spec.Estimator.OnePass, spec.Estimator.NormaliseEffective, OptionsOf(spec.Estimator),
            [.. spec.Cells.Select((c, p) => new InspectedCell(p, OptimizerNames.Name(c.Optimizer.Kind), c.Optimizer.LearningRate,
                c.Optimizer.OutputLrScale, c.Seed, state.Diverged.ElementAtOrDefault(p) is > 0 and var at ? at : null, cells[p],
                c.Optimizer.Schedule?.ToString()))],
            spec.InitDigest);

    // Matched noise's cosine is in its name (matched-noise@C), not said again as an option.
    public static string[] OptionsOf(EstimatorSettings e) =>
        [.. GuessOptionText.NonDefault(e with { MatchedCosine = new EstimatorSettings(e.Kind).MatchedCosine })];

    /// <summary>The method as a spec names it: matched noise with its cosine (matched-noise@C).</summary>
    public static string MethodName(EstimatorSettings e) => e.Kind == EstimatorKind.MatchedNoise
        ? SpecNames.MatchedNoiseAtCosine(e.MatchedCosine)
        : EstimatorNames.Name(e.Kind);
}

/// <param name="OutputLrScale">The output layer's learning rate as a multiple of <paramref name="LearningRate"/>; null when
/// every layer trained at the rate.</param>
/// <param name="DivergedIn">The epoch the cell diverged in (its weights are not finite: its figures mean nothing); null
/// when it did not.</param>
/// <param name="Schedule">How its rate changed over the epochs ("cosine over 30 epochs", <paramref name="LearningRate"/> its
/// peak); null at a constant rate.</param>
internal sealed record InspectedCell(int Cell, string Optimizer, double LearningRate, double? OutputLrScale, int Seed, int? DivergedIn,
    CellAnatomy Anatomy, string? Schedule = null);
