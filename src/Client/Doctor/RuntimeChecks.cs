using System.Globalization;
using System.Runtime.InteropServices;
using GradGuessCluster.Client.Bench;
using GradGuessCluster.Grains.Placement;
using TorchSharp;
using GradGuessCluster.Training;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Doctor;

/// <summary>The machine, libtorch and every device it sees: each device trains tiny packs through the real trainer and
/// times a matmul; a GPU's backprop losses are held to the CPU's.</summary>
internal static class RuntimeChecks
{
    /// <summary>How far a GPU's backprop losses may lie from the CPU's after the smoke run's few epochs: rounding, not a
    /// wrong kernel, which lands orders of magnitude further.</summary>
    public const double LossTolerance = 1e-3;

    private const string Area = "libtorch", DeviceArea = "device";

    public static DoctorFinding System()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var machine = MachineInfo.CpuModel();
        return new("system", "", DoctorStatus.Ok,
            $"{machine}, {Units.Count(Environment.ProcessorCount, "core")}, {Units.Bytes(memory)} memory; " +
            $"{RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}");
    }

    public static IEnumerable<DoctorFinding> Run(CancellationToken ct)
    {
        int defaultThreads = 0;
        string? failure = null;
        try
        {
            TorchRuntime.EnsureInitialised();
            defaultThreads = get_num_threads();
        }
        catch (InvalidOperationException e)
        {
            failure = e.Message;
        }
        if (failure is not null)
        {
            yield return new(Area, "", DoctorStatus.Fail, failure,
                $"see docs/GPU.md; unset {TorchRuntime.LibTorchDirVariable} to use the libtorch TorchSharp ships with");
            yield break;
        }
        yield return new(Area, "", DoctorStatus.Ok,
            $"{TorchRuntime.LibTorchDescription()}, {Build}; {MklVendorCheck.Outcome}; " +
            $"{Units.Count(defaultThreads, "intra-op thread")} by default (cells train on 1 each unless told otherwise)");

        int gpus = TorchRuntime.CudaDeviceCount();
        set_num_threads(1);
        var cpu = Device("cpu", CPU, reference: null, ct, out var cpuLosses);
        yield return cpu;
        if (gpus == 0) yield return NoCuda();
        for (int i = 0; i < gpus; i++)
            yield return Device($"cuda:{i}", device($"cuda:{i}"), cpuLosses, ct, out _);
        yield return new("silo", "", DoctorStatus.Info, SlotsOf(gpus));
    }

    /// <summary>Why no GPU is seen, as far as the build tells: a CPU build never sees one.</summary>
    private static DoctorFinding NoCuda() =>
#if TORCH_CUDA
        new(DeviceArea, "cuda", DoctorStatus.Info, "no CUDA device visible",
            "check nvidia-smi, and that the libtorch loaded is a CUDA build (docs/GPU.md)");
#else
        new(DeviceArea, "cuda", DoctorStatus.Info, "no CUDA device visible: a CPU build", "on a GPU node build with -p:TorchBackend=cuda (docs/GPU.md)");
#endif

    /// <summary>What a silo started here with the defaults would train on: its GPUs; the CPU only when asked to.</summary>
    private static string SlotsOf(int gpus)
    {
        var cpu = $"with --cpu-training, {Units.Count(SiloSlots.DefaultCpuSlots(threadsPerCell: 1, gpus), "CPU slot")} at --threads 1";
        return gpus > 0
            ? $"a silo started here trains on {Units.Count(gpus, "GPU")}, one pack each (--slots-per-gpu for more); {cpu} besides"
            : $"a silo started here trains only {cpu} (it has no GPU); local trains on the CPU by default";
    }

    private static string Build =>
#if TORCH_CUDA
        "a CUDA build (-p:TorchBackend=cuda)";
#else
        "a CPU build";
#endif

    /// <summary>The smoke run and a matmul's rate on one device; with <paramref name="reference"/> (the CPU's backprop
    /// losses) the device's are held to them.</summary>
    private static DoctorFinding Device(string name, Device dev, IReadOnlyList<double>? reference, CancellationToken ct,
        out IReadOnlyList<double>? losses)
    {
        losses = null;
        TrainingSmoke.Outcome smoke;
        double rate;
        try
        {
            smoke = TrainingSmoke.Run(dev, ct);
            using var peak = new MatmulPeak(BenchDevice.Of(dev), dev.type == DeviceType.CUDA ? 4096 : 1024);
            rate = peak.Sample(repeats: 5, record: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(DeviceArea, name, DoctorStatus.Fail, $"training failed: {e.Message}", "run the tests (README) on this machine for details");
        }
        if (smoke.Diverged)
            return new(DeviceArea, name, DoctorStatus.Fail, "a tiny pack's loss went non-finite (on a sound setup all of them train to a finite loss)",
                "report it with this output");
        losses = smoke.BackpropLosses;
        var trained = $"trained tiny backprop and W^T packs in {Units.Figures(smoke.Seconds)} s (backprop's loss " +
                      $"{F(smoke.FirstLoss)} → {F(smoke.BackpropLosses[0])}); fp32 matmul {Units.Figures(rate)} GFLOP/s" +
                      (dev.type == DeviceType.CPU ? " on one thread" : "");
        if (reference is null) return new(DeviceArea, name, DoctorStatus.Ok, trained);
        var gap = reference.Zip(smoke.BackpropLosses, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(a), 1e-12)).Max();
        return gap <= LossTolerance
            ? new(DeviceArea, name, DoctorStatus.Ok, $"{trained}; backprop's losses within {gap:0.0e0} of the CPU's")
            : new(DeviceArea, name, DoctorStatus.Fail, $"{trained}; but backprop's losses differ from the CPU's by {gap:0.0e0} (more than {LossTolerance:0e0})",
                "a wrong kernel or a mismatched libtorch: check that it is 2.10 (docs/GPU.md)");
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
