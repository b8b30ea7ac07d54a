namespace GradGuessCluster.Grains.Interfaces.Validation;

/// <summary>A sweep's priority: its weight in the cluster's fair share of training slots. Sweeps waiting for slots get
/// them in proportion to their priorities (a sweep of priority 3 beside one of priority 1: three slots to one), and it
/// is kept apart from the spec, so it can change while the sweep runs without touching its identity.</summary>
public static class SweepPriority
{
    public const int Default = 1;
    public const int Max = 100;

    /// <summary>Why <paramref name="priority"/> is not a priority, or null when it is one.</summary>
    public static string? Problem(int priority) => priority is < 1 or > Max
        ? $"must be a whole number from 1 to {Max} (the default is {Default}), got {priority}"
        : null;

    /// <summary>Throws the error the CLI reports with exit code 2 when <paramref name="priority"/> is not one.</summary>
    public static void Validate(int priority)
    {
        if (Problem(priority) is { } problem)
            throw new SpecValidationException([new SpecError("priority", problem)], null, "invalid priority");
    }
}
