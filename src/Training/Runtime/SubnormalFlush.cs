namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// Flushes subnormal floats to zero (the x86 FTZ and DAZ bits) on the calling thread for a training pass, and turns it
/// off again after. Weights whose gradient is zero for a while (a ReLU unit dead on every example of its batches) decay
/// their optimizer moments geometrically through the subnormal range, where each vector operation that meets one takes
/// a microcode assist of a hundred cycles or more: at batch 128 on an Intel Xeon the optimizer phase of W^T took 3 times
/// as long as with flushing (docs/BENCHMARKS.md). Flushed, such a moment is 0; the step it would have added lies some 30
/// orders of magnitude below its weight, so in practice no weight moves otherwise, but a curve may differ in the last
/// bits from an unflushed run's: <see cref="NumericsPath"/> records it. libtorch sets the bits (PyTorch's
/// <c>torch.set_flush_denormal</c>); TorchSharp does not expose it. Only the calling thread flushes: with more than one
/// intra-op thread libtorch's workers do not, and the optimizer's fused kernels, which run on the caller, do.
/// </summary>
public static class SubnormalFlush
{
    /// <summary>Environment variable: <c>flush</c> (the default) or <c>keep</c> (subnormals computed as IEEE 754 says, as
    /// builds before this one did: their checkpoints resume bit for bit under it).</summary>
    public const string Variable = "GRADGUESS_SUBNORMALS";

    // Looked up once libtorch is loaded (a lookup before would find nothing, for good).
    private static readonly Lazy<IntPtr> Entry = new(() =>
    {
        TorchRuntime.EnsureInitialised();
        return LibTorchExports.Find("_ZN2at7Context16setFlushDenormalEb");
    });

    private static readonly Lazy<bool> Supported = new(() => Set(false));

    /// <summary>Whether a training pass on the CPU flushes: asked for (<see cref="Variable"/>), and the CPU and libtorch can.
    /// Throws <see cref="LibTorchVariableException"/> naming the variable on a value it does not know.</summary>
    public static bool Enabled() => Asked(Environment.GetEnvironmentVariable(Variable)) && Supported.Value;

    /// <summary>Throws <see cref="LibTorchVariableException"/> where <see cref="Variable"/> has a value it does not know.</summary>
    internal static void CheckVariable() => Asked(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Whether <see cref="Variable"/>'s <paramref name="value"/> asks to flush.</summary>
    internal static bool Asked(string? value) => value switch
    {
        null or "" or "flush" => true,
        "keep" => false,
        _ => throw new LibTorchVariableException($"{Variable}={value}: expected 'flush' (the default) or 'keep'"),
    };

    /// <summary>Flushes on this thread until the returned scope is disposed, on the same thread (the step loop is
    /// synchronous); a no-op where not <see cref="Enabled"/>.</summary>
    public static Scope Begin() => new(Enabled() && Set(true));

    public readonly struct Scope(bool on) : IDisposable
    {
        public void Dispose()
        {
            if (on) Set(false);
        }
    }

    /// <summary>Sets or clears the bits on this thread through at::Context::setFlushDenormal(bool), a static member: true
    /// where the CPU has them (SSE3 and later); false also where this libtorch does not export it.</summary>
    private static unsafe bool Set(bool on) =>
        Entry.Value != IntPtr.Zero && ((delegate* unmanaged<byte, byte>)Entry.Value)(on ? (byte)1 : (byte)0) != 0;
}
