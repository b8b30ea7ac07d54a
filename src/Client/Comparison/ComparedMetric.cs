using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Comparison;

/// <summary>The selection metric's figures of a row, and its name beside the other metric's: a comparison shows the
/// rule's accuracy first.</summary>
internal static class ComparedMetric
{
    public static bool IsTrain(SelectionMetric metric) => metric == SelectionMetric.TrainAccuracy;

    /// <summary>("train", "test") when ranking by train accuracy, else the other way round.</summary>
    public static (string Main, string Other) Names(SelectionMetric metric) => IsTrain(metric) ? ("train", "test") : ("test", "train");

    public static double? Accuracy(ResultRow? row, SelectionMetric metric) => IsTrain(metric) ? row?.TrainAccuracy : row?.TestAccuracy;

    public static double? Spread(ResultRow? row, SelectionMetric metric) => IsTrain(metric) ? row?.TrainAccuracyStd : row?.TestAccuracyStd;
}
