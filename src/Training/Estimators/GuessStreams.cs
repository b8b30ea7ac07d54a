using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Estimators;

/// <summary>
/// One seeded generator per cell for guesses. Each cell draws its own tensor of the same shape in the same order,
/// so a cell's guesses are identical whether it trains alone or inside a pack.
/// </summary>
public sealed class GuessStreams : IDisposable
{
    private readonly Generator[] _generators;

    public GuessStreams(IReadOnlyList<long> seeds, Device device)
    {
        Device = device;
        _generators = seeds.Select(s => new Generator(SeedMix.Derive(s, SeedMix.GuessStream), device)).ToArray();
    }

    public Device Device { get; }
    public int PackSize => _generators.Length;

    /// <summary>N(0, 1) of shape [P, ..shape].</summary>
    public Tensor Normal(params long[] shape)
    {
        if (_generators.Length == 1)
            return randn(shape, generator: _generators[0], device: Device).unsqueeze(0);
        return stack(_generators.Select(g => randn(shape, generator: g, device: Device)), 0);
    }

    /// <summary>The generators' states, for checkpoints (uint8 tensors on the CPU).</summary>
    public Tensor[] GetStates() => _generators.Select(g => g.get_state().cpu()).ToArray();

    public void SetStates(IReadOnlyList<Tensor> states)
    {
        if (states.Count != _generators.Length)
            throw new ArgumentException($"expected {_generators.Length} generator states, got {states.Count}");
        for (int i = 0; i < states.Count; i++) _generators[i].set_state(states[i]);
    }

    public void Dispose()
    {
        foreach (var g in _generators) g.Dispose();
    }
}
