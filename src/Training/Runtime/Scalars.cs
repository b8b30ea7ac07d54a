using TorchSharp;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// Scalars kept alive for the process, for the constants of hot paths. TorchSharp turns a number argument (and the
/// <c>alpha</c> of a one-argument <c>add</c>) into a temporary <see cref="Scalar"/> whose finalizer deletes the native
/// value; nothing holds the temporary once its handle is passed, so a GC during the native call frees it under
/// libtorch, which then fails with "Expected false to be true" from <c>Scalar::toFloat</c> or reads a wrong value.
/// The build refuses such temporaries (build/Analyzers, GG0001 to GG0003); other values go through <see cref="HeldScalars"/>.
/// TorchSharp makes one itself in <c>square()</c> (its <c>pow(2)</c>), which failed a CI run with libtorch's "INTERNAL
/// ASSERT FAILED at Scalar.h" from <c>pow</c>: <c>x.mul(x)</c> takes its place (libtorch computes <c>pow(x, 2)</c> as
/// <c>x * x</c>, so the values are the same). GG0003 now refuses it and the other methods that make a Scalar inside.
/// </summary>
public static class Scalars
{
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>1 for integer tensors (libtorch refuses a floating-point alpha there).</summary>
    public static readonly Scalar IntegerOne = 1L.ToScalar();

    /// <summary>Floor under norms and probabilities before a division or a log.</summary>
    public static readonly Scalar Tiny = 1e-30.ToScalar();
}
