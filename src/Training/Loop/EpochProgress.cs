namespace GradGuessCluster.Training.Loop;

/// <summary>Where a running epoch is: step <see cref="Step"/> of <see cref="Steps"/>.</summary>
public readonly record struct EpochProgress(int Epoch, int Step, int Steps);
