using System.Runtime.InteropServices;

namespace GradGuessCluster.Training.Runtime;

/// <summary>Functions of the libtorch CPU library the process has already loaded, looked up by name. Never by loading it
/// again: a DllImport by name could load a second copy (another libtorch_cpu.so on the search path than the one
/// <c>GRADGUESS_LIBTORCH</c> or TorchSharp loaded), whose static initialisers would register libtorch's operators twice.</summary>
internal static class LibTorchExports
{
    private const int RtldNow = 0x2, RtldNoLoad = 0x4;

    /// <summary>The address of the function, or zero where libtorch's CPU library is not loaded or does not export it.</summary>
    public static IntPtr Find(string name)
    {
        var library = dlopen("libtorch_cpu.so", RtldNow | RtldNoLoad);
        return library == IntPtr.Zero ? IntPtr.Zero : dlsym(library, name);
    }

    [DllImport("libc")]
    private static extern IntPtr dlopen(string file, int mode);

    [DllImport("libc")]
    private static extern IntPtr dlsym(IntPtr handle, string name);
}
