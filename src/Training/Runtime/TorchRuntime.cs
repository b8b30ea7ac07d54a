using System.Runtime.InteropServices;
using TorchSharp;

namespace GradGuessCluster.Training.Runtime;

/// <summary>
/// One place that brings libtorch up: loads an external CUDA libtorch when asked (GPU build), sets the
/// intra-op thread count, and turns TorchSharp's loader failures into one clear message.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a libtorch 2.10 <c>lib/</c> directory (e.g. a pip torch's site-packages/torch/lib).</summary>
    public const string LibTorchDirVariable = "GRADGUESS_LIBTORCH";

    /// <summary>Intra-op threads one pack may ask for: libtorch starts that many OS threads per pack, and an unbounded
    /// count (100,000 once) exhausted the machine's process table. No machine this runs on has that many cores.</summary>
    public const int MaxThreads = 1024;

    private static readonly object Gate = new();
    private static bool _initialised;

    /// <summary>Initialises TorchSharp once per process; throws <see cref="InvalidOperationException"/> naming the cause.</summary>
    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (_initialised) return;
            var dir = Environment.GetEnvironmentVariable(LibTorchDirVariable);
            if (!string.IsNullOrEmpty(dir))
            {
                var lib = Path.Combine(dir, "libtorch.so");
                if (!File.Exists(lib))
                    throw new LibTorchVariableException($"{LibTorchDirVariable}={dir}: no libtorch.so there"
                        + (File.Exists(dir) ? " (that is a file: give the lib/ directory that holds libtorch.so)" : ""));
                try
                {
                    NativeLibrary.Load(lib);
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    // .NET's message does not name the variable the user set; its last line is the loader's reason.
                    var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
                    throw new LibTorchVariableException($"{LibTorchDirVariable}={dir}: cannot load its libtorch.so: {reason}");
                }
            }
            try
            {
                _ = torch.get_num_threads();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    "TorchSharp could not initialise libtorch (see docs/GPU.md and the ELF note in build/TorchSharp.targets): "
                    + e.Message, e);
            }
            MklVendorCheck.Apply();   // before the first matmul: MKL keeps the code path it picks then
            SubnormalFlush.CheckVariable();   // a value it does not know is refused at start, not at a pack's first epoch
            _initialised = true;
        }
    }

    /// <summary>
    /// Which libtorch runs, for records: TorchSharp's own (the version it was built against) or the one
    /// <see cref="LibTorchDirVariable"/> names, with the version a pip install writes beside it (torch/version.py).
    /// </summary>
    public static string LibTorchDescription()
    {
        var dir = Environment.GetEnvironmentVariable(LibTorchDirVariable);
        return string.IsNullOrEmpty(dir) ? $"libtorch {torch.__version__}"
            : $"libtorch {ExternalVersion(dir) ?? "of unknown version"} from {dir} (TorchSharp built for {torch.__version__})";
    }

    /// <summary>Which libtorch version runs, without where it was found (two nodes with one version in other places run the
    /// same kernels): TorchSharp's own, or the one beside <see cref="LibTorchDirVariable"/>'s directory.</summary>
    public static string LibTorchVersion()
    {
        var dir = Environment.GetEnvironmentVariable(LibTorchDirVariable);
        return string.IsNullOrEmpty(dir) ? torch.__version__ : ExternalVersion(dir) ?? "of unknown version";
    }

    /// <summary>The version a pip install writes beside its lib/ directory (torch/version.py), or null.</summary>
    private static string? ExternalVersion(string dir)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(dir, "..", "version.py")).FirstOrDefault(l => l.StartsWith("__version__", StringComparison.Ordinal));
            return line?[(line.IndexOf('=') + 1)..].Trim().Trim('\'', '"');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Sets the number of intra-op threads (1 is the default for training cells and tests).</summary>
    public static void SetThreads(int threads)
    {
        if (threads is < 1 or > MaxThreads) throw new ArgumentOutOfRangeException(nameof(threads), threads, $"must be from 1 to {MaxThreads}");
        EnsureInitialised();
        torch.set_num_threads(threads);
    }

    /// <summary>Number of visible CUDA devices (0 on CPU builds or machines without a GPU).</summary>
    public static int CudaDeviceCount()
    {
        EnsureInitialised();
        return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
    }
}

/// <summary>A libtorch setting of the environment that cannot be used: <see cref="TorchRuntime.LibTorchDirVariable"/> names no
/// loadable libtorch, or <see cref="MklVendorCheck.Variable"/> or <see cref="SubnormalFlush.Variable"/> has a value it does
/// not know. The user's, which they can fix.</summary>
public sealed class LibTorchVariableException(string message) : InvalidOperationException(message);
