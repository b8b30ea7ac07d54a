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
internal sealed record InspectedPack(string Checkpoint, int Epoch, string Data, long Examples, string Method, double? InitScale,
    IReadOnlyList<InspectedCell> Cells)
{
    public static InspectedPack Of(string file, CheckpointState state, PackSpec spec, Dataset data, IReadOnlyList<CellAnatomy> cells) =>
        new(file, state.Epoch, data.Name, data.TrainCount, MethodName(spec.Estimator), spec.InitScale,
            [.. spec.Cells.Select((c, p) => new InspectedCell(p, OptimizerNames.Name(c.Optimizer.Kind), c.Optimizer.LearningRate,
                c.Optimizer.OutputLrScale, c.Seed, state.Diverged.ElementAtOrDefault(p) is > 0 and var at ? at : null, cells[p]))]);

    private static string MethodName(EstimatorSettings e) => e.Kind == EstimatorKind.MatchedNoise
        ? SpecNames.MatchedNoiseAtCosine(e.MatchedCosine)
        : EstimatorNames.Name(e.Kind);
}

/// <param name="OutputLrScale">The output layer's learning rate as a multiple of <paramref name="LearningRate"/>; null when
/// every layer trained at the rate.</param>
/// <param name="DivergedIn">The epoch the cell diverged in (its weights are not finite: its figures mean nothing); null
/// when it did not.</param>
internal sealed record InspectedCell(int Cell, string Optimizer, double LearningRate, double? OutputLrScale, int Seed, int? DivergedIn,
    CellAnatomy Anatomy);
