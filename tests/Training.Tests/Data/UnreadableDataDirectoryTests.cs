using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>A data directory this user may not search is named as unreadable, not as missing with advice to download the
/// set (File.Exists reads EACCES as false); and a file that appears between the loader's looks is used, not a null
/// thrown.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class UnreadableDataDirectoryTests : IDisposable
{
    private readonly DataFixtures _files = new();
    private readonly List<string> _locked = [];

    public void Dispose()
    {
        foreach (var dir in _locked) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _files.Dispose();
    }

    private void Lock(string dir)
    {
        _locked.Add(dir);
        File.SetUnixFileMode(dir, UnixFileMode.None);
    }

    /// <summary>access(2) answered as for a user who is not root (root is never denied, and the suite runs as root):
    /// the file is denied, and so are two directories above it.</summary>
    [Fact]
    public void NotAFile_BehindADirectoryThatMayNotBeSearched_NamesTheShallowestAsUnreadable()
    {
        var locked = Path.Combine(_files.Dir, "locked");
        var path = Path.Combine(locked, "inner", DatasetLoader.TrainImages + ".gz");
        var denied = new HashSet<string> { locked, Path.Combine(locked, "inner") };
        var e = DataFile.NotAFile(path, "missing; run ./gradguess download mnist",
            p => p == path ? UnixPath.PermissionDenied : "No such file or directory",
            p => denied.Contains(p) ? UnixPath.PermissionDenied : null);
        Assert.NotNull(e);
        Assert.Equal((locked, $"cannot be read: permission denied (on the way to {path})"), (e.FilePath, e.Problem));
    }

    [Fact]
    public void NotAFile_DeniedWithEveryDirectorySearchable_NamesTheFile()
    {
        var path = Path.Combine(_files.Dir, DatasetLoader.TrainImages + ".gz");   // came since File.Exists looked, mode 0
        var e = DataFile.NotAFile(path, "missing", _ => UnixPath.PermissionDenied, _ => null);
        Assert.Equal((path, "cannot be read: permission denied"), (e!.FilePath, e.Problem));
    }

    [Fact]
    public void NotAFile_NotThere_IsStillMissing()
    {
        var path = Path.Combine(_files.Dir, DatasetLoader.TrainImages + ".gz");
        var e = DataFile.NotAFile(path, "missing; advice", _ => "No such file or directory", _ => UnixPath.PermissionDenied);
        Assert.Equal((path, "missing; advice"), (e!.FilePath, e.Problem));
        Assert.Equal("missing; advice", DataFile.NotAFile(path, "missing; advice")!.Problem);   // access(2) itself: ENOENT
    }

    /// <summary>The real thing: a user whom a mode-0 directory denies (here, root's thread become nobody) checks a set
    /// behind one.</summary>
    [NotRootFact]
    public void Check_ASetInADirectoryThisUserMayNotSearch_NamesTheDirectory_NotTheDownload()
    {
        File.SetUnixFileMode(_files.Dir, (UnixFileMode)0b111_101_101);
        var mnist = _files.WriteIdxSet(train: 2, test: 2, sub: "idx");
        var cifar = Path.Combine(_files.WriteCifarSet(perFile: 2, sub: "cifar"), Cifar10Reader.FolderName);
        Lock(mnist);
        Lock(cifar);

        var errors = NotRoot.Run(() => new[]
        {
            Record.Exception(() => DatasetLoader.Check(new DataSource("mnist", mnist))),
            Record.Exception(() => DatasetLoader.Check(new DataSource("cifar10", Path.GetDirectoryName(cifar)))),
            Record.Exception(() => DatasetLoader.FilesOf(new DataSource("fashion-mnist", mnist))),
        });

        foreach (var (error, dir) in errors.Zip([mnist, cifar, mnist]))
        {
            var e = Assert.IsType<DataFormatException>(error);
            Assert.Equal(dir, e.FilePath);
            Assert.StartsWith("cannot be read: permission denied (on the way to ", e.Problem);
            Assert.DoesNotContain("download", e.Message);
        }
    }

    /// <summary>IdxPath found neither NAME.gz nor NAME, then a concurrent download renamed NAME.gz into place: NotAFile
    /// answers null, which was thrown (a NullReferenceException).</summary>
    [Fact]
    public void AFileThatCameSinceTheLoaderLooked_IsUsed()
    {
        var path = _files.Write("idx/" + DatasetLoader.TrainImages + ".gz", [1, 2, 3]);
        Assert.Equal(path, DatasetLoader.FoundSince(path, "missing"));
        var gone = Path.Combine(_files.Dir, "idx", DatasetLoader.TestImages + ".gz");
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.FoundSince(gone, "missing"));
        Assert.Equal((gone, "missing"), (e.FilePath, e.Problem));
    }
}

/// <summary>Runs where some thread can be a user whom a mode-0 directory denies: this process's own user where it is not
/// root, else a thread of root's become nobody.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class NotRootFactAttribute : FactAttribute
{
    public NotRootFactAttribute()
    {
        if (NotRoot.WhyUnavailable.Value is { } why) Skip = why;
    }
}

/// <summary>Code run as a user who is not root: on a thread of its own whose credentials alone are changed to nobody's
/// (the raw setgroups/setresgid/setresuid system calls change only the calling thread's; glibc's wrappers change every
/// thread's), and which ends with them. Where this process is not root, on the same kind of thread, unchanged.</summary>
[UnsupportedOSPlatform("windows")]
internal static class NotRoot
{
    private const int Nobody = 65534;

    public static readonly Lazy<string?> WhyUnavailable = new(Probe);

    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                BecomeNobody();
                result = body();
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("failed as a user who is not root", failure);
        return result;
    }

    private static void BecomeNobody()
    {
        if (GetEuid() != 0) return;
        var (setgroups, setresgid, setresuid) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (116L, 119L, 117L),
            Architecture.Arm64 => (159L, 149L, 147L),
            var other => throw new PlatformNotSupportedException($"no system call numbers for {other}"),
        };
        if (Syscall(setgroups, 0, 0, 0) != 0 || Syscall(setresgid, Nobody, Nobody, Nobody) != 0
            || Syscall(setresuid, Nobody, Nobody, Nobody) != 0)
            throw new InvalidOperationException($"cannot become nobody: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        if (GetEuid() != Nobody) throw new InvalidOperationException("the thread is still root");
    }

    /// <summary>Null where a mode-0 directory in a searchable one denies the thread <see cref="Run"/> makes, else why not.</summary>
    private static string? Probe()
    {
        var top = Directory.CreateTempSubdirectory("gg-notroot-").FullName;
        var locked = Directory.CreateDirectory(Path.Combine(top, "locked")).FullName;
        try
        {
            File.SetUnixFileMode(top, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(locked, UnixFileMode.None);
            var (outer, inner) = Run(() => (UnixPath.WhyNotSearchable(top), UnixPath.WhyNotSearchable(locked)));
            return outer is null && inner == UnixPath.PermissionDenied ? null
                : $"no user here whom a mode-0 directory denies (searching {top}: {outer ?? "allowed"}; {locked}: {inner ?? "allowed"})";
        }
        catch (Exception e)
        {
            return $"no user here whom a mode-0 directory denies: {e.InnerException?.Message ?? e.Message}";
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(top, recursive: true);
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long a, long b, long c);
}
