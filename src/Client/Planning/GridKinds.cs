using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Planning;

/// <summary>A spec's methods and optimizers as the training core's kinds, for what the plan and its warnings say of them.</summary>
internal static class GridKinds
{
    /// <summary>The methods that name an estimator, with their kinds, in the spec's order. A <c>matched-noise@C</c> names
    /// none: it carries its own cosine and, like every matched-noise, draws no guess.</summary>
    public static IReadOnlyList<(string Name, EstimatorKind Kind)> Methods(SweepSpec spec) =>
        [.. spec.Methods.Select(m => (Name: m, Ok: EstimatorNames.TryParse(m, out var k), Kind: k)).Where(m => m.Ok).Select(m => (m.Name, m.Kind))];

    /// <summary>The optimizers, with their kinds, in the spec's order.</summary>
    public static IReadOnlyList<(string Name, OptimizerKind Kind)> Optimizers(SweepSpec spec) =>
        [.. spec.Optimizers.Select(o => (Name: o, Ok: OptimizerNames.TryParse(o, out var k), Kind: k)).Where(o => o.Ok).Select(o => (o.Name, o.Kind))];
}
