namespace GradGuessCluster.Training.Estimators;

/// <summary>The gradient estimators of SPEC §3, plus the matched-noise oracle.</summary>
public enum EstimatorKind
{
    Backprop,
    Directional,
    ActivationPerturbation,
    WTranspose,
    Downstream,
    ActivationMixing,
    MatchedNoise,

    // Appended: checkpoints' fingerprints hold each kind's number, so a kind keeps its number for good.
    MaskedPerturbation,
}

/// <summary>Which options a method reads: the others would be ignored without a word.</summary>
public static class EstimatorTraits
{
    /// <summary>Draws guesses (K, the tangent pass): every method but backprop and the matched-noise oracle.</summary>
    public static bool Guesses(this EstimatorKind kind) => kind is not (EstimatorKind.Backprop or EstimatorKind.MatchedNoise);

    /// <summary>Guesses in activation space: normalisation and one tangent pass per layer apply.</summary>
    public static bool ActivationSpace(this EstimatorKind kind) => kind is EstimatorKind.ActivationPerturbation
        or EstimatorKind.MaskedPerturbation or EstimatorKind.WTranspose or EstimatorKind.Downstream or EstimatorKind.ActivationMixing;
}

/// <summary>Maps spec names (<c>wt</c>, <c>activation-mixing</c>, ...) to <see cref="EstimatorKind"/> and back.</summary>
public static class EstimatorNames
{
    private static readonly (string Name, EstimatorKind Kind)[] Table =
    [
        ("backprop", EstimatorKind.Backprop),
        ("directional", EstimatorKind.Directional),
        ("activation-perturbation", EstimatorKind.ActivationPerturbation),
        ("masked-perturbation", EstimatorKind.MaskedPerturbation),
        ("wt", EstimatorKind.WTranspose),
        ("downstream", EstimatorKind.Downstream),
        ("activation-mixing", EstimatorKind.ActivationMixing),
        ("matched-noise", EstimatorKind.MatchedNoise),
    ];

    public static IReadOnlyList<string> All { get; } = Table.Select(t => t.Name).ToArray();

    public static bool TryParse(string name, out EstimatorKind kind)
    {
        foreach (var (n, k) in Table)
            if (n == name) { kind = k; return true; }
        kind = default;
        return false;
    }

    public static EstimatorKind Parse(string name) =>
        TryParse(name, out var k) ? k : throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", All)})", nameof(name));

    public static string Name(EstimatorKind kind) => Table.First(t => t.Kind == kind).Name;

    /// <summary>The methods that guess in activation space, as a message lists them ("a, b and c"): those that read
    /// normalisation and one tangent pass per layer.</summary>
    public static string ActivationSpace { get; } = Units.Listed([.. Table.Where(t => t.Kind.ActivationSpace()).Select(t => t.Name)]);
}
