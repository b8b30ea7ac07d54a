using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;

namespace GradGuessCluster.Training.Loop;

/// <summary>
/// Everything needed to train a pack of P cells in one pass: what they share (data, model shape, method, batch
/// size, data order) and what each has of its own (<see cref="Cells"/>). P = 1 is a plain cell.
/// </summary>
/// <param name="Depth">Hidden layers (the study: 3); the MLP has Depth + 1 linear layers.</param>
/// <param name="Width">Hidden width (the study: 128).</param>
/// <param name="DataSeed">Seeds the per-epoch shuffles; shared by the pack.</param>
/// <param name="EvaluateEvery">Epochs between train/test accuracy evaluations (the last epoch is always evaluated).</param>
/// <param name="CosineEvery">Steps between cosine-similarity samples; 0 = off.</param>
/// <param name="InitScale">Every initial weight and bias times this (<see cref="Model.WeightInit"/>); null (or 1): PyTorch's
/// default initialisation.</param>
/// <param name="InitFrom">A weights file every cell starts from instead (<see cref="Weights.InitialWeights"/>); null: drawn.</param>
/// <param name="InitDigest">That file's <see cref="Weights.InitialWeights.Digest"/>: what the fingerprint hashes (not the
/// path, so a moved file resumes), and what a resume checks the file against.</param>
public sealed record PackSpec(
    DataSource Data,
    int Depth,
    int Width,
    EstimatorSettings Estimator,
    int BatchSize,
    int Epochs,
    int DataSeed,
    IReadOnlyList<CellSettings> Cells,
    int EvaluateEvery = 1,
    int CosineEvery = 0,
    bool EffectiveRank = false,
    double? InitScale = null,
    string? InitFrom = null,
    string? InitDigest = null)
{
    private readonly double? _initScale = Unscaled(InitScale);

    /// <summary>1 is stored as null and left out of the fingerprint (<see cref="PackFingerprint"/>), so a pack without the
    /// scale hashes as it did before the field existed and its checkpoints stay readable.</summary>
    public double? InitScale { get => _initScale; init => _initScale = Unscaled(value); }

    private static double? Unscaled(double? scale) => scale is 1.0 ? null : scale;

    /// <summary>The range <see cref="InitScale"/> may take (a spec's <c>model.initScale</c> too): a sanity range, wide enough for
    /// studies of the scale (a value far outside it is more likely a typo than a study), not a float32 limit.</summary>
    public const double MinInitScale = 1e-6, MaxInitScale = 1e3;
    internal const string InitScaleRange = "from 1e-6 to 1000";

    public int PackSize => Cells.Count;

    /// <summary>Whether the trainer evaluates after <paramref name="epoch"/>: every <see cref="EvaluateEvery"/> epochs, and
    /// after the last.</summary>
    public bool Evaluates(int epoch) => epoch % EvaluateEvery == 0 || epoch == Epochs;

    /// <summary>Whether the trainer samples the cosine similarity at the run's <paramref name="step"/> (counted from 0
    /// across epochs): steps 0, C, 2C, … for <see cref="CosineEvery"/> C. <see cref="PackWorkload"/> counts by it.</summary>
    public bool SamplesCosineAt(long step) => CosineEvery > 0 && step % CosineEvery == 0;
}
