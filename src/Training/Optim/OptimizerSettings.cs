using System.Text.Json.Serialization;

namespace GradGuessCluster.Training.Optim;

/// <summary>One cell's optimizer hyperparameters (cells of a pack may differ in every field but the kind).
/// Use <see cref="Default"/> for the per-kind defaults and <c>with</c> to change fields.</summary>
/// <param name="WeightDecay">Decoupled weight decay λ for AdamW and StableAdamW; L2 penalty for SGD.</param>
/// <param name="Momentum">SGD momentum (0 = plain SGD).</param>
/// <param name="ClipThreshold">StableAdamW's update-RMS clip threshold d.</param>
/// <param name="OutputLrScale">The output layer's learning rate (its step and its decoupled decay) as a multiple of
/// <paramref name="LearningRate"/>; null (or 1) steps every layer at the learning rate.</param>
/// <param name="Schedule">How the rates change from epoch to epoch (the same in every cell of a pack); null keeps them
/// constant, and is left out of the JSON so an unscheduled pack hashes as before the field existed.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind,
    double LearningRate,
    double WeightDecay = 0.0,
    double Momentum = 0.0,
    double Beta1 = 0.9,
    double Beta2 = 0.99,
    double Epsilon = 1e-6,
    double ClipThreshold = 1.0,
    double? OutputLrScale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LrSchedule? Schedule = null)
{
    private readonly double? _outputLrScale = Unscaled(OutputLrScale);

    /// <summary>1 is stored as null and left out of the JSON, so a pack without the scale hashes (<see
    /// cref="Loop.PackFingerprint"/>) as it did before the field existed and its checkpoints stay readable.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OutputLrScale { get => _outputLrScale; init => _outputLrScale = Unscaled(value); }

    private static double? Unscaled(double? scale) => scale is 1.0 ? null : scale;

    /// <summary>The rate the output layer steps at.</summary>
    public double OutputLearningRate() => LearningRate * (OutputLrScale ?? 1.0);

    /// <summary>The rate a layer steps at: <see cref="OutputLearningRate"/> for the output layer, the learning rate for the others.</summary>
    public double LearningRateOf(bool outputLayer) => outputLayer ? OutputLearningRate() : LearningRate;

    /// <summary>
    /// Per-kind defaults: SGD without momentum or decay; AdamW as PyTorch (β = (0.9, 0.999), ε = 1e-8, λ = 0.01);
    /// StableAdamW as SPEC §4 (β = (0.9, 0.99), ε = 1e-6, clip threshold 1) with λ = 0.01 like AdamW.
    /// </summary>
    public static OptimizerSettings Default(OptimizerKind kind, double learningRate) => kind switch
    {
        OptimizerKind.Sgd => new(kind, learningRate),
        OptimizerKind.AdamW => new(kind, learningRate, WeightDecay: 0.01, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8),
        OptimizerKind.StableAdamW => new(kind, learningRate, WeightDecay: 0.01, Beta1: 0.9, Beta2: 0.99, Epsilon: 1e-6),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public const double MinEpsilon = 1.1e-19;

    /// <summary>Whether an optimizer of <paramref name="kind"/> reads the field named <paramref name="field"/> (SGD has no
    /// β or ε, only StableAdamW clips); unknown names are read, so nothing unrecognised is hidden.</summary>
    public static bool Reads(OptimizerKind kind, string field) => field switch
    {
        nameof(Momentum) => kind == OptimizerKind.Sgd,
        nameof(Beta1) or nameof(Beta2) or nameof(Epsilon) => kind != OptimizerKind.Sgd,
        nameof(ClipThreshold) => kind == OptimizerKind.StableAdamW,
        _ => true,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new InvalidSettingException("learning rate", $"must be a finite number > 0, got {LearningRate}");
        // The kernels step in float32: there a rate below about 1e-45 is 0 (the cell trains nothing) and one above about
        // 3.4e38 is infinite.
        if (!((float)LearningRate > 0) || !float.IsFinite((float)LearningRate))
            throw new InvalidSettingException("learning rate", $"is {((float)LearningRate > 0 ? "infinite" : "0")} in float32, which training steps in; got {LearningRate}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new InvalidSettingException("weight decay", $"must be a finite number >= 0, got {WeightDecay}");
        if (!(Momentum >= 0 && Momentum < 1)) throw new InvalidSettingException("momentum", $"must be in [0, 1), got {Momentum}");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new InvalidSettingException("beta1", $"must be in [0, 1), got {Beta1}");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new InvalidSettingException("beta2", $"must be in [0, 1), got {Beta2}");
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon)) throw new InvalidSettingException("epsilon", $"must be a finite number > 0, got {Epsilon}");
        // Below this, ε² (StableAdamW's floor under u) is no normal float32 and an untouched parameter's 0/0 gives NaN.
        if (Epsilon < MinEpsilon) throw new InvalidSettingException("epsilon", $"must be >= {MinEpsilon:g} (its square must stay a normal float32), got {Epsilon:g}");
        if (!(ClipThreshold > 0) || !double.IsFinite(ClipThreshold)) throw new InvalidSettingException("clip threshold", $"must be a finite number > 0, got {ClipThreshold}");
        Schedule?.Validate();
        if (OutputLrScale is { } k)
        {
            if (!(k > 0) || !double.IsFinite(k)) throw new InvalidSettingException("output lr scale", $"must be a finite number > 0, got {k}");
            var rate = OutputLearningRate();
            if (!((float)rate > 0) || !float.IsFinite((float)rate))
                throw new InvalidSettingException("output lr scale", $"makes the output layer's learning rate {rate:g6} ({LearningRate:g} × {k:g}), " +
                    $"{((float)rate > 0 ? "infinite" : "0")} in float32, which training steps in");
        }
    }
}
