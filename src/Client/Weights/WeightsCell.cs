using System.Globalization;
using System.Text.Json;
using GradGuessCluster.Client.Inspection;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Weights;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Weights;

/// <summary>One cell whose weights are written: cell <see cref="Index"/> of a pack's checkpoint, with what a sweep knows of
/// it (its id, and its accuracies at the checkpoint's epoch) when it came from one.</summary>
/// <param name="Stem">The file name it is written under, without the extension.</param>
/// <param name="SweepMethod">The method as its sweep names it (a spec's plain <c>matched-noise</c> stays so); null: as the
/// checkpoint's configuration names it.</param>
internal sealed record WeightsCell(CheckpointWeights Pack, int Index, string Stem, string? Sweep = null, string? CellId = null,
    double? TrainAccuracy = null, double? TestAccuracy = null, string? SweepMethod = null)
{
    public string Method => SweepMethod ?? InspectedPack.MethodName(Pack.Spec.Estimator);
    public string Optimizer => OptimizerNames.Name(Pack.Spec.Cells[Index].Optimizer.Kind);
    public double LearningRate => Pack.Spec.Cells[Index].Optimizer.LearningRate;
    public int Seed => Pack.Spec.Cells[Index].Seed;
    public int Epoch => Pack.Epoch;

    /// <summary>How a sweep's cell is named in a file: method, optimizer, rate and seed, unique in a sweep.</summary>
    public static string NameOf(string method, string optimizer, double learningRate, int seed) =>
        $"{method}-{SettingsName(optimizer, learningRate, seed)}";

    /// <summary>What tells a pack's cells apart in a file's name: optimizer, rate and seed.</summary>
    public static string SettingsName(string optimizer, double learningRate, int seed) =>
        $"{optimizer}-lr{LearningRateText.Of(learningRate)}-seed{seed}";

    public string Describe() => Describe(Method, Optimizer, LearningRate, Seed);

    /// <summary>"wt adamw lr 1e-3 seed 0": a cell as messages name it.</summary>
    public static string Describe(string method, string optimizer, double learningRate, int seed) =>
        $"{method} {optimizer} lr {LearningRateText.Of(learningRate)} seed {seed}";

    public IReadOnlyList<NamedArray> Arrays() => MlpWeights.Of(Pack.Shape, Pack.Cells[Index]);

    /// <summary>What the file says of itself (safetensors' <c>__metadata__</c>, the npz's <c>metadata</c>): the model to load
    /// it into, the input it expects, what trained it and how far, and the pack's whole configuration.</summary>
    public IReadOnlyDictionary<string, string> Metadata()
    {
        var spec = Pack.Spec;
        var optimizer = spec.Cells[Index].Optimizer;
        var m = new Dictionary<string, string>
        {
            ["format"] = "pt",   // safetensors' convention: torch tensors
            ["producer"] = "gradguess weights",
            ["architecture"] = MlpWeights.Architecture(Pack.Shape),
        };
        if (PixelNormalization.For(spec.Data.Set) is { } norm)
        {
            m["input"] = $"{spec.Data.Set} images flattened channel by channel (C, H, W), each pixel p as (p / 255 - inputMean[c]) / inputStd[c]";
            m["inputMean"] = JsonSerializer.Serialize(norm.Mean);
            m["inputStd"] = JsonSerializer.Serialize(norm.Std);
        }
        else
        {
            m["input"] = $"the synthetic set's features (train {spec.Data.SyntheticTrain}, test {spec.Data.SyntheticTest}, features " +
                         $"{spec.Data.SyntheticFeatures}, seed {spec.Data.SyntheticSeed}), as gradguess generates them";
        }
        m["data"] = spec.Data.Set;
        if (Pack.DataDigest is { } digest) m["dataDigest"] = digest;
        m["method"] = Method;
        if (string.Join(" ", InspectedPack.OptionsOf(spec.Estimator)) is { Length: > 0 } options)
            m["guessOptions"] = options;
        m["optimizer"] = Optimizer;
        m["learningRate"] = LearningRateText.Of(LearningRate);
        if (optimizer.OutputLrScale is { } scale) m["outputLrScale"] = scale.ToString("R", CultureInfo.InvariantCulture);
        if (optimizer.Schedule is { } schedule) m["schedule"] = schedule.ToString();   // learningRate is its peak
        m["seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        m["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture);
        if (Sweep is not null) m["sweep"] = Sweep;
        if (CellId is not null) m["cellId"] = CellId;
        if (TrainAccuracy is { } train) m["trainAccuracy"] = train.ToString("R", CultureInfo.InvariantCulture);
        if (TestAccuracy is { } test) m["testAccuracy"] = test.ToString("R", CultureInfo.InvariantCulture);
        m["checkpoint"] = Path.GetFileName(Pack.File);
        m["packCell"] = Index.ToString(CultureInfo.InvariantCulture);
        m["configuration"] = Pack.Configuration;
        return m;
    }
}
