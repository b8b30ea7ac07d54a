using GradGuessCluster.Training.Estimators;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// What decides a pack's floating-point results besides its configuration and data: the libtorch version and the
/// device kind; on a CPU also the intra-op thread count (libtorch splits its sums by thread), oneMKL's code path (its
/// kernels for each instruction set sum in another order) and whether training flushes subnormals (<see cref="SubnormalFlush"/>);
/// for a pack, also a change of this code's summation order that a configuration meets (<see cref="Of(Device, EstimatorSettings)"/>). A checkpoint keeps it, so that a pack resumed under another
/// can say its curve goes on correctly but can differ in the last bits from the uninterrupted run's.
/// </summary>
public static class NumericsPath
{
    // Fixed for the process once libtorch is up (MKL picks its path then): looked up once, not at every checkpoint.
    private static readonly Lazy<string> LibTorch = new(() => $"libtorch {TorchRuntime.LibTorchVersion()}");
    private static readonly Lazy<string> Mkl = new(() => MklVendorCheck.CodePath() is { } path ? $"oneMKL code path {path}" : "no oneMKL");

    /// <summary>For example <c>libtorch 2.10.0.0, cpu, 1 thread, oneMKL code path 7, subnormals flushed</c> (builds before
    /// the flush, or <see cref="SubnormalFlush.Variable"/>=keep, end at the code path).</summary>
    public static string Of(Device device)
    {
        TorchRuntime.EnsureInitialised();
        if (device.type != DeviceType.CPU) return $"{LibTorch.Value}, {device.type.ToString().ToLowerInvariant()}";
        var threads = get_num_threads();   // not fixed: set per pack (TorchRuntime.SetThreads)
        return $"{LibTorch.Value}, cpu, {threads} thread{(threads == 1 ? "" : "s")}, {Mkl.Value}{(SubnormalFlush.Enabled() ? ", subnormals flushed" : "")}";
    }

    /// <summary>A pack's: <see cref="Of(Device)"/>, and for K &gt; 1 activation-space guesses that their weighted sum
    /// meets each layer's input in one outer product (since 2026-12-06, b80cc00; before, one outer product per guess,
    /// summed in another order). A K &gt; 1 checkpoint of a build before then resumes with a note; one of the day
    /// between that change and this record also does, though it computed alike.</summary>
    public static string Of(Device device, EstimatorSettings estimator) =>
        Of(device) + (estimator.Guesses > 1 && estimator.Kind.ActivationSpace() ? ", guesses summed before the outer products" : "");
}
