namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A training grain's own view of its pack.</summary>
public enum PackRunState
{
    /// <summary>No work assigned.</summary>
    Idle,
    Running,

    /// <summary>Every cell has run all epochs or diverged; the outcomes are final.</summary>
    Finished,

    /// <summary>Stopped at an epoch boundary on request (cancel, shutdown); resumes from its checkpoint when started again.</summary>
    Stopped,

    /// <summary>Training threw; the outcomes carry the error.</summary>
    Failed,
}
