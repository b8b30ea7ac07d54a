namespace GradGuessCluster.Client.Export;

/// <summary>One row of the long-format export (SPEC §6): one cell at one evaluated epoch.</summary>
/// <param name="Status">The cell's state in its sweep's ledger (completed, diverged, running, ...).</param>
public sealed record CurveRow(
    string Sweep,
    string CellId,
    string Method,
    string Optimizer,
    double Lr,
    int Seed,
    int Epoch,
    double? TrainAccuracy,
    double? TestAccuracy,
    double TrainLoss,
    double? CosineSimilarity,
    double Seconds,
    string Status);
