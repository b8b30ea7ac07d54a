using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Training.Loop;

/// <summary>Validates a <see cref="PackSpec"/> before any tensor is allocated; messages name the field.</summary>
public static class PackSpecChecks
{
    /// <summary>The sweep spec's limits (SweepSpecValidator), so <c>train</c> refuses what a sweep would.</summary>
    public const int MaxDepth = 64, MaxWidth = 65_536;

    /// <summary>Elements of a pack's flat parameter tensor [P, N] (and of each optimizer buffer): 8 GiB of float32 each.</summary>
    public const long MaxPackParameters = int.MaxValue;

    /// <summary>Every layer's weights and biases of the pack against the cap, input and output layers included (at depth 1
    /// there is no hidden-to-hidden layer, and a wide input layer alone can pass it). The trainer checks again with the
    /// shape of the data it was given, which for a data set built in code need not be the spec's source (the file readers
    /// hold MNIST and CIFAR-10 images to their published sizes).</summary>
    public static void CheckParameters(PackSpec spec, MlpShape shape)
    {
        long parameters = shape.ParameterCount * spec.Cells.Count;
        if (parameters > MaxPackParameters)
            throw new ArgumentException($"width {spec.Width} × depth {spec.Depth} on {shape.InSize(0)} inputs × {Units.Count(spec.Cells.Count, "cell")}: "
                + $"{parameters:N0} weights and biases, more than one pack's flat tensors can index ({MaxPackParameters:N0})");
    }

    public static void Validate(PackSpec spec)
    {
        if (spec.Cells.Count == 0) throw new ArgumentException("cells: a pack needs at least one cell");
        if (spec.Depth < 1) throw new InvalidSettingException("depth", $"must be >= 1, got {spec.Depth}");
        if (spec.Width < 1) throw new InvalidSettingException("width", $"must be >= 1, got {spec.Width}");
        if (spec.Depth > MaxDepth) throw new InvalidSettingException("depth", $"must be <= {MaxDepth}, got {spec.Depth}");
        if (spec.Width > MaxWidth) throw new InvalidSettingException("width", $"must be <= {MaxWidth}, got {spec.Width}");
        if (spec.InitScale is { } scale && !(scale >= PackSpec.MinInitScale && scale <= PackSpec.MaxInitScale))
            throw new InvalidSettingException("init scale", $"must be {PackSpec.InitScaleRange}, got {scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        if (spec.InitScale is not null && spec.InitFrom is not null)
            throw new InvalidSettingException("init scale", "scales drawn weights, and this pack starts from a file's: give one of them");
        CheckParameters(spec, new MlpShape(
            DataShape.FeaturesOf(spec.Data) ?? 0,
            spec.Width, spec.Depth, DatasetLoader.Classes));
        if (spec.BatchSize < 1) throw new InvalidSettingException("batchSize", $"must be >= 1, got {spec.BatchSize}");
        if (spec.Epochs < 1) throw new InvalidSettingException("epochs", $"must be >= 1, got {spec.Epochs}");
        if (spec.EvaluateEvery < 1) throw new InvalidSettingException("evaluateEvery", $"must be >= 1, got {spec.EvaluateEvery}");
        if (spec.CosineEvery < 0) throw new InvalidSettingException("cosineEvery", $"must be >= 0, got {spec.CosineEvery}");
        if (spec.Estimator.Guesses < 1) throw new InvalidSettingException("guesses", $"must be >= 1, got {spec.Estimator.Guesses}");
        var kind = spec.Cells[0].Optimizer.Kind;
        foreach (var cell in spec.Cells)
        {
            if (cell.Optimizer.Kind != kind)
                throw new ArgumentException($"cells: all cells of a pack use one optimizer ({OptimizerNames.Name(kind)}), got {OptimizerNames.Name(cell.Optimizer.Kind)}");
            cell.Optimizer.Validate();
            if (cell.Optimizer.Schedule is { Kind: ScheduleKind.Cosine, Epochs: var horizon } && horizon != spec.Epochs)
                throw new InvalidSettingException("schedule", $"anneals over {horizon} epochs, but the pack trains {spec.Epochs}");
        }
    }
}
