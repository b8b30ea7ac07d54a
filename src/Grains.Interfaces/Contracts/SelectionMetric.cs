namespace GradGuessCluster.Grains.Interfaces.Contracts;

/// <summary>Which accuracy the selection rule ranks learning rates by (spec names <c>trainAccuracy</c>, <c>testAccuracy</c>).</summary>
public enum SelectionMetric
{
    TrainAccuracy,
    TestAccuracy,
}
