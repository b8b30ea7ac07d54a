namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A sweep's overall state. A sweep is Completed when every cell is final (some may have failed or diverged).</summary>
public enum SweepState
{
    Running,
    Completed,
    Cancelled,
}
