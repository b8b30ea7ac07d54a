using GradGuessCluster.Training.Model;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Optim;

/// <summary>
/// An optimizer whose learning rates follow the cells' <see cref="LrSchedule"/>: at each epoch it becomes the same kind
/// of optimizer at the scaled rates, carrying the moments and step count over. Every optimizer derives its rate
/// columns and scalars from its settings once, so rebuilding an epoch keeps the three step kernels as they are (at
/// factor 1 a step is bit for bit the unscheduled one's) at the cost of one copy of the state per epoch.
/// </summary>
internal sealed class ScheduledOptimizer : IPackOptimizer
{
    private readonly IReadOnlyList<OptimizerSettings> _cells;
    private readonly Func<IReadOnlyList<OptimizerSettings>, IPackOptimizer> _create;
    private readonly LrSchedule _schedule;
    private IPackOptimizer _inner;
    private double _factor = 1.0;

    public ScheduledOptimizer(IReadOnlyList<OptimizerSettings> cells, Func<IReadOnlyList<OptimizerSettings>, IPackOptimizer> create)
    {
        _schedule = cells[0].Schedule ?? throw new ArgumentException("a scheduled optimizer needs a schedule");
        if (cells.Any(c => c.Schedule != _schedule))
            throw new ArgumentException($"all cells of a pack must share one learning-rate schedule, got {string.Join(" and ", cells.Select(c => c.Schedule?.ToString() ?? "none").Distinct())}");
        (_cells, _create) = (cells, create);
        _inner = create(cells);
    }

    public long Steps => _inner.Steps;

    public IReadOnlyDictionary<string, Tensor> State => _inner.State;

    /// <summary>The multiple of each cell's rate the steps now take.</summary>
    public double Factor => _factor;

    public void BeginEpoch(int epoch)
    {
        var factor = _schedule.Factor(epoch);
        if (factor == _factor) return;
        var next = _create([.. _cells.Select(c => c with { LearningRate = c.LearningRate * factor })]);
        try { next.Restore(_inner.State, _inner.Steps); }
        catch
        {
            next.Dispose();
            throw;
        }
        _inner.Dispose();
        (_inner, _factor) = (next, factor);
    }

    public void Step(LayeredTensor parameters, LayeredTensor gradient) => _inner.Step(parameters, gradient);

    public void Restore(IReadOnlyDictionary<string, Tensor> state, long steps) => _inner.Restore(state, steps);

    public void Dispose() => _inner.Dispose();
}
