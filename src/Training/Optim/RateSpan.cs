using GradGuessCluster.Training.Model;

namespace GradGuessCluster.Training.Optim;

/// <summary>A stretch of every cell's flat parameter vector that steps at one learning rate per cell: the hidden layers
/// at the cell's rate, the output layer (its W and b, the vector's tail) at <see cref="OptimizerSettings.OutputLearningRate"/>.</summary>
internal sealed record RateSpan(long Offset, long Length, bool OutputLayer)
{
    public double Rate(OptimizerSettings cell) => cell.LearningRateOf(OutputLayer);

    /// <summary>The whole vector as one span where no cell of the pack scales its output layer's rate (each optimizer then
    /// updates as it did before the scale existed, bit for bit); otherwise the hidden layers, then the output layer.</summary>
    public static RateSpan[] Of(MlpShape shape, IReadOnlyList<OptimizerSettings> cells)
    {
        if (cells.All(c => c.OutputLrScale is null)) return [new(0, shape.ParameterCount, OutputLayer: false)];
        var output = shape.Offsets(shape.Layers - 1).Weight;
        return [new(0, output, OutputLayer: false), new(output, shape.ParameterCount - output, OutputLayer: true)];
    }
}
