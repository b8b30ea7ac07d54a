namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>A cell's place in its sweep's ledger. Completed, Diverged, Failed and Cancelled are final
/// (resume re-queues failed and cancelled cells).</summary>
public enum CellState
{
    Queued,
    Running,
    Completed,

    /// <summary>The loss became NaN/inf: a result, not a retry.</summary>
    Diverged,
    Failed,
    Cancelled,
}
