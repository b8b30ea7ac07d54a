using TorchSharp;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// The Scalars of one block of tensor calls, held until the block ends (<c>using var s = new HeldScalars();
/// t.mul_(s[beta])</c>): a dispose scope for Scalars, which TorchSharp's own scopes do not track (see <see cref="Scalars"/>).
/// An integer keeps an integer Scalar, as TorchSharp's implicit conversion would, so results do not change.
/// </summary>
public sealed class HeldScalars : IDisposable
{
    private readonly List<Scalar> _held = [];

    public Scalar this[double value] => Hold(value.ToScalar());

    public Scalar this[long value] => Hold(value.ToScalar());

    private Scalar Hold(Scalar s)
    {
        _held.Add(s);
        return s;
    }

    public void Dispose()
    {
        foreach (var s in _held) s.Dispose();
        _held.Clear();
    }
}
