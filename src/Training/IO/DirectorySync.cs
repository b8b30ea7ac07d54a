using System.Runtime.InteropServices;

namespace GradGuessCluster.Training.IO;

/// <summary>fsync(2) of a directory: a rename is durable across a power cut only once the directory that holds the new
/// name is synced too (syncing the file syncs its contents, not the entry). .NET opens no directory as a stream.</summary>
public static class DirectorySync
{
    // O_RDONLY | O_DIRECTORY. O_DIRECTORY's value differs by architecture: arm64 reads x86-64's 0x10000 as O_DIRECT.
    private static readonly int ReadOnlyDirectory = RuntimeInformation.ProcessArchitecture
        is Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le ? 0x4000 : 0x10000;

    /// <summary>Syncs <paramref name="directory"/>'s entries to disk; throws <see cref="IOException"/> naming it.</summary>
    public static void Sync(string directory)
    {
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0) throw Failed(directory);
        try
        {
            if (FSync(fd) != 0) throw Failed(directory);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>As <see cref="Sync"/> for a caller whose write has landed whatever the sync says (a file system that
    /// cannot sync a directory, a platform without fsync): null, or why the directory was not synced.</summary>
    public static string? TrySync(string directory)
    {
        try
        {
            Sync(directory);
            return null;
        }
        catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    private static IOException Failed(string directory) =>
        new($"cannot sync directory {directory}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    // DllImport, not LibraryImport: the analyzer tests compile this library's sources without source generators.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
