namespace GradGuessCluster.Training.Optim;

public enum OptimizerKind { Sgd, AdamW, StableAdamW }

/// <summary>Maps spec names (<c>sgd</c>, <c>adamw</c>, <c>stable-adamw</c>) to <see cref="OptimizerKind"/> and back.</summary>
public static class OptimizerNames
{
    private static readonly (string Name, OptimizerKind Kind)[] Table =
    [
        ("sgd", OptimizerKind.Sgd),
        ("adamw", OptimizerKind.AdamW),
        ("stable-adamw", OptimizerKind.StableAdamW),
    ];

    public static IReadOnlyList<string> All { get; } = Table.Select(t => t.Name).ToArray();

    public static bool TryParse(string name, out OptimizerKind kind)
    {
        foreach (var (n, k) in Table)
            if (n == name) { kind = k; return true; }
        kind = default;
        return false;
    }

    public static OptimizerKind Parse(string name) =>
        TryParse(name, out var k) ? k : throw new ArgumentException($"unknown optimizer '{name}' (known: {string.Join(", ", All)})", nameof(name));

    public static string Name(OptimizerKind kind) => Table.First(t => t.Kind == kind).Name;
}
