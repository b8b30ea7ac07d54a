using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// oneMKL, linked into libtorch's CPU library, picks its matmul kernels by CPU vendor before features: on an AMD CPU it
/// takes its generic path whatever the CPU supports (an AMD EPYC with AVX-512: 2048³ fp32 at 93 GFLOP/s on one thread,
/// 216 on MKL's AVX-512 path). MKL offers no setting for it (<c>MKL_CBWR=AVX512</c> falls back to AUTO off Intel), so
/// its two exported vendor checks are made to answer "Intel" in this process's memory, before its first matmul: MKL then
/// dispatches on the CPU's features, as it does on Intel CPUs. The file on disk is untouched.
/// </summary>
/// <remarks>Floating-point results differ in the last bits from the generic path's (other kernels, other summation
/// order); a run stays reproducible on one machine and path. <see cref="Variable"/>=keep leaves MKL's own choice.</remarks>
public static class MklVendorCheck
{
    /// <summary>Environment variable: <c>bypass</c> (the default) or <c>keep</c> (MKL's vendor-based choice).</summary>
    public const string Variable = "GRADGUESS_MKL_VENDOR_CHECK";

    private static readonly string[] Checks = ["mkl_serv_intel_cpu_true", "mkl_serv_intel_cpu"];
    private static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3];   // mov eax, 1; ret

    private const int ProtRead = 0x1, ProtWrite = 0x2, ProtExec = 0x4;

    /// <summary>What was done, for records (bench's machine line).</summary>
    public static string Outcome { get; private set; } = "not applied yet";

    /// <summary>Whether to bypass MKL's vendor check (unless the user asked to keep it); throws naming the variable on a
    /// value it does not know.</summary>
    public static bool Bypass()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        return value switch
        {
            null or "" or "bypass" => true,
            "keep" => false,
            _ => throw new LibTorchVariableException($"{Variable}={value}: expected 'bypass' (the default) or 'keep'"),
        };
    }

    /// <summary>From <see cref="TorchRuntime.EnsureInitialised"/>, once libtorch is loaded and before any matmul.</summary>
    internal static void Apply()
    {
        if (!Bypass()) { Outcome = $"oneMKL's own CPU dispatch ({Variable}=keep)"; return; }
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || CpuVendor() != "AuthenticAMD")
        {
            Outcome = "oneMKL's own CPU dispatch (not an AMD x86-64 CPU on Linux)";
            return;
        }
        var entries = Checks.Select(LibTorchExports.Find).ToArray();
        if (entries.Any(e => e == IntPtr.Zero))
        {
            Outcome = "oneMKL's own CPU dispatch (this libtorch exports no MKL vendor check)";
            return;
        }
        foreach (var entry in entries)
        {
            if (!Overwrite(entry, out var error))
            {
                Outcome = $"oneMKL's own CPU dispatch (its vendor check could not be bypassed: {error})";
                return;
            }
        }
        Outcome = "oneMKL dispatching on CPU features (its AMD vendor check bypassed)";
    }

    /// <summary>MKL's code path as it reports it (0 is its generic one), or null where this libtorch exports no MKL.</summary>
    public static int? CodePath()
    {
        var detect = LibTorchExports.Find("mkl_serv_cpu_detect");
        return detect == IntPtr.Zero ? null : Detect(detect);
    }

    private static unsafe int Detect(IntPtr entry) => ((delegate* unmanaged<int>)entry)();

    /// <summary>Writes <see cref="ReturnOne"/> over the function's first bytes: its pages are private to this process
    /// (copy on write), made writable only for the copy.</summary>
    private static bool Overwrite(IntPtr entry, out string error)
    {
        var page = Environment.SystemPageSize;
        var start = entry & ~(nint)(page - 1);
        var length = (nuint)(entry + ReturnOne.Length - start);
        if (mprotect(start, length, ProtRead | ProtWrite | ProtExec) != 0)
        {
            error = $"mprotect: {Marshal.GetLastPInvokeErrorMessage()}";
            return false;
        }
        Marshal.Copy(ReturnOne, 0, entry, ReturnOne.Length);
        if (mprotect(start, length, ProtRead | ProtExec) != 0)
        {
            error = $"mprotect back: {Marshal.GetLastPInvokeErrorMessage()}";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The CPU's vendor string (<c>AuthenticAMD</c>, <c>GenuineIntel</c>), empty off x86.</summary>
    public static string CpuVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<int> words = [ebx, edx, ecx];
        return System.Text.Encoding.ASCII.GetString(MemoryMarshal.AsBytes(words));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mprotect(IntPtr address, nuint length, int protection);
}
