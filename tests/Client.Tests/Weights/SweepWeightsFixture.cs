using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Weights;

/// <summary>A finished local sweep, trained once for <see cref="WeightsCommandTests"/>: backprop and W^T with AdamW at three
/// learning rates, packed by rate, of which 1e+3 diverges; each other cell has its final checkpoint.</summary>
public sealed class SweepWeightsFixture : IDisposable
{
    public const string Sweep = "weights";
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-weights-sweep-").FullName;
    private readonly Lazy<string> _state;

    public SweepWeightsFixture() => _state = new(() =>
    {
        var spec = LocalSpecs.Write(_dir, Sweep, epochs: 2, learningRates: "1.0e-2, 1.0e-3, 1.0e+3", extra: "packing: lr");
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(spec, state);
        return state;
    });

    /// <summary>The state directory holding the finished sweep (trained on the first call).</summary>
    public string StateDir => _state.Value;

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
