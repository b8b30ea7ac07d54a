using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace GradGuessCluster.Training.IO;

/// <summary>What .NET does not tell about a path on Linux: whether it names a FIFO, a device or a socket (a file that
/// must be written through, never replaced by a rename), its canonical form, and a hidden name beside it that fits.</summary>
public static class UnixPath
{
    /// <summary>The longest file name (one path component) in bytes on Linux's file systems.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>Whether <paramref name="path"/> (its links followed) exists and is neither a regular file nor a directory.</summary>
    public static bool IsSpecialFile(string path) => TypeOf(path) is { } type && type is not (RegularType or DirectoryType);

    /// <summary>Whether <paramref name="path"/> (its links followed) is a Unix socket, which no file write can open.</summary>
    public static bool IsSocket(string path) => TypeOf(path) == SocketType;

    /// <summary>Why this process may not write <paramref name="path"/> (access(2) with W_OK: its mode, a read-only
    /// volume), or null where it may. Nothing is opened: opening a FIFO to write waits for a reader, or takes one's
    /// place.</summary>
    public static string? WhyNotWritable(string path) => WhyNot(path, access: 2);

    /// <summary>Gives <paramref name="file"/> the further name <paramref name="name"/> (link(2)), which is created whole or
    /// not at all, whatever races it: true where it was, false where the name exists, null where the file system has no
    /// hard links (some FUSE and SMB mounts). File.Move without overwrite looks first and renames after, so two racing
    /// moves can both succeed.</summary>
    /// <exception cref="IOException">Any other failure, naming <paramref name="name"/>.</exception>
    public static bool? TryLink(string file, string name)
    {
        const int exists = 17, notPermitted = 1, notSupported = 95;
        if (Link(file, name) == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        return error switch
        {
            exists => false,
            notPermitted or notSupported => null,
            _ => throw new IOException($"cannot create {name}: {Marshal.GetPInvokeErrorMessage(error)}"),
        };
    }

    /// <summary>Why this process may not read <paramref name="path"/> (access(2) with R_OK), or null where it may.</summary>
    public static string? WhyNotReadable(string path) => WhyNot(path, access: 4);

    /// <summary>Why this process may not search the directory <paramref name="path"/> (access(2) with X_OK: look up the
    /// names in it), or null where it may.</summary>
    public static string? WhyNotSearchable(string path) => WhyNot(path, access: 1);

    /// <summary>What the WhyNot methods answer for EACCES: the mode of the path or of a directory on the way to it.</summary>
    public const string PermissionDenied = "permission denied";

    private static string? WhyNot(string path, int access)
    {
        const int permissionDenied = 13;
        if (Access(path, access) == 0) return null;
        var error = Marshal.GetLastPInvokeError();
        return error == permissionDenied ? PermissionDenied : Marshal.GetPInvokeErrorMessage(error);
    }

    private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000, SocketType = 0xC000;

    /// <summary>The S_IFMT bits of the path's mode, its links followed; null where it does not exist (or cannot be read).
    /// statx, not stat: its layout is the same on every architecture, and glibc has had it since 2.28, where a
    /// <c>stat</c> symbol came only with 2.33 (EL8, Debian 11).</summary>
    private static int? TypeOf(string path)
    {
        const int atFdCwd = -100, statxType = 0x1, modeOffset = 28;   // stx_mode: a u16 after mask, blksize, attributes, nlink, uid, gid
        var buffer = new byte[256];                                   // sizeof(struct statx)
        if (Statx(atFdCwd, path, 0, statxType, buffer) != 0) return null;
        return BitConverter.ToUInt16(buffer, modeOffset) & TypeMask;
    }

    /// <summary>One name for whatever <paramref name="path"/> names, by any path to it: absolute, without a trailing
    /// separator, every link resolved; where it does not exist yet, its directory's links resolved.</summary>
    public static string Canonical(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Real(full) is { } real) return real;
        var directory = Path.GetDirectoryName(full);
        return directory is null ? full : Path.Combine(Real(directory) ?? directory, Path.GetFileName(full));
    }

    /// <summary>realpath(3): the absolute path with every symbolic link, "." and ".." resolved, or null where it does not
    /// exist.</summary>
    public static string? Real(string path)
    {
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Free(resolved); }
    }

    /// <summary>Whether canonical <paramref name="path"/> is the canonical directory <paramref name="directory"/> or lies
    /// inside it ("/" holds everything).</summary>
    public static bool IsWithin(string path, string directory) =>
        path == directory || path.StartsWith(directory.EndsWith('/') ? directory : directory + "/", StringComparison.Ordinal);

    /// <summary>A hidden name beside <paramref name="fullPath"/>, ".NAME.TAIL", within <see cref="MaxNameBytes"/>: a name
    /// too long for that is cut, and a hash of the whole name keeps two such names apart.</summary>
    public static string HiddenSibling(string fullPath, string tail)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        var name = Path.GetFileName(fullPath);
        var whole = $".{name}.{tail}";
        if (Encoding.UTF8.GetByteCount(whole) <= MaxNameBytes) return Path.Combine(directory, whole);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
        int room = MaxNameBytes - Encoding.UTF8.GetByteCount($"..{hash}.{tail}");
        var prefix = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())        // whole characters: a cut UTF-8 sequence is no name
        {
            if ((room -= rune.Utf8SequenceLength) < 0) break;
            prefix.Append(rune.ToString());
        }
        return Path.Combine(directory, $".{prefix}.{hash}.{tail}");
    }

    // DllImport, not LibraryImport: the analyzer tests compile this library's sources without source generators, and
    // calls with plain arguments need none (a string is passed as UTF-8 on Linux).
    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "realpath")]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
