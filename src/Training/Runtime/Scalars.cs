using TorchSharp;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// Scalars kept alive for the process. TorchSharp turns a number argument (and the <c>alpha</c> of a one-argument
/// <c>add</c>) into a temporary <see cref="Scalar"/> whose finalizer deletes the native value; nothing keeps the
/// temporary alive once its handle is passed, so a GC during the native call can free it under libtorch, which then
/// fails with "Expected false to be true" from <c>Scalar::toFloat</c> (seen once in a CI run, in the tangent pass's
/// add). Hot paths pass these instead.
/// </summary>
public static class Scalars
{
    public static readonly Scalar One = 1.0.ToScalar();
}
