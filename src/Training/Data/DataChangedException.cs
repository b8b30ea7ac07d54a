namespace GradGuessCluster.Training.Data;

/// <summary>Training would go on with other data than it started on: a checkpoint, or a sweep's earlier packs, trained on
/// a data set whose content (<see cref="DataDigest"/>) differs from what is read here now. Continuing would mix two data
/// sets in one curve, or in one results table.</summary>
public sealed class DataChangedException(string message) : Exception(message);
