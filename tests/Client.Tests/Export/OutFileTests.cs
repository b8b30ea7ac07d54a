using System.Diagnostics;
using System.Text;
using GradGuessCluster.Client.Export;

namespace GradGuessCluster.Client.Tests.Export;

/// <summary>What <c>--out</c> does to what is already at its path: a symbolic link is followed and kept, a FIFO is
/// written through and stays a FIFO, and a state directory's files are never the target.</summary>
public sealed class OutFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-outfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string name) => Path.Combine(_dir, name);

    private static void WriteText(string path, string text) => OutFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void ANameLongerThanAFileSystemTakes_IsAUsageError_BeforeTheWork()
    {
        // Only the final rename would have refused it, after export or plot had read the whole sweep.
        var e = Assert.Throws<UsageException>(() => OutFile.Check("--out", At(new string('n', 252) + ".csv")));
        Assert.Equal("--out: the file name is 256 bytes long, more than the 255 a name may have", e.Message);
        OutFile.Check("--out", At(new string('n', 251) + ".csv"));
    }

    [Fact]
    public void ASocket_IsAUsageError_BeforeTheWork()
    {
        // No file write can open one: it failed only at the end, exit 1.
        var path = At("s.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        var e = Assert.Throws<UsageException>(() => OutFile.Check("--out", path));
        Assert.Equal($"--out: {path} is a socket, which takes no file; name a file", e.Message);
    }

    [Fact]
    public void ASymbolicLink_IsFollowed_AndStaysALink()
    {
        File.WriteAllText(At("real.csv"), "old");
        File.CreateSymbolicLink(At("link.csv"), "real.csv");
        WriteText(At("link.csv"), "new");
        Assert.Equal("real.csv", new FileInfo(At("link.csv")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(At("real.csv")));
    }

    [Fact]
    public void ADanglingLink_CreatesItsTarget_WhereItsDirectoryExists()
    {
        File.CreateSymbolicLink(At("link.csv"), At("made.csv"));
        WriteText(At("link.csv"), "new");
        Assert.Equal("new", File.ReadAllText(At("made.csv")));
        Assert.NotNull(new FileInfo(At("link.csv")).LinkTarget);
    }

    [Fact]
    public void ADanglingLink_IntoAMissingDirectory_IsAUsageError()
    {
        File.CreateSymbolicLink(At("link.csv"), At("missing/made.csv"));
        var e = Assert.Throws<UsageException>(() => OutFile.Check("--out", At("link.csv")));
        Assert.Contains("is a symbolic link to", e.Message);
    }

    [Fact]
    public async Task AFifo_IsWrittenThrough_AndStaysAFifo()
    {
        var fifo = At("fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var reader = Task.Run(() => File.ReadAllText(fifo));
        OutFile.Check("--out", fifo);
        WriteText(fifo, "through");
        Assert.Equal("through", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([fifo], Directory.GetFileSystemEntries(_dir));            // no temporary file, no regular file
        Assert.True(GradGuessCluster.Training.IO.UnixPath.IsSpecialFile(fifo));
    }

    [Fact]
    public void Stdout_IsRefused_UnlessTheCommandTakesIt()
    {
        Assert.Contains("'-' (stdout) is not taken here", Assert.Throws<UsageException>(() => OutFile.Check("--checkpoint", "-")).Message);
        OutFile.Check("--out", "-", allowStdout: true);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void ADirectoryThatTakesNoNewFile_IsAUsageError_NamingTheOption()
    {
        var e = Assert.Throws<UsageException>(() => OutFile.Check("--checkpoint", "/proc/gg-cell.ckpt"));
        Assert.Equal("--checkpoint: cannot write /proc/gg-cell.ckpt: cannot create a file in /proc", e.Message);
    }

    [Fact]
    public void AFileInsideTheStateDirectory_IsRefused_ByAnyNameOfIt()
    {
        var state = Directory.CreateDirectory(At("st/state/gg-sweep")).Parent!.Parent!.FullName;
        File.WriteAllText(Path.Combine(state, "state", "gg-sweep", "x.sweep.state"), "state");
        File.CreateSymbolicLink(At("alias"), state);
        File.CreateSymbolicLink(At("state-link.csv"), Path.Combine(state, "state", "gg-sweep", "x.sweep.state"));
        foreach (var (file, directory) in new[] { ("st/state/gg-sweep/x.sweep.state", "st"), ("alias/new.csv", "st"), ("st/new.csv", "alias"), ("state-link.csv", "st") })
        {
            var e = Assert.Throws<UsageException>(() => OutFile.CheckOutside(At(file), "--state-dir", At(directory)));
            Assert.StartsWith("--out: ", e.Message);
            Assert.Contains("is inside --state-dir", e.Message);
        }
        OutFile.CheckOutside(At("st-sibling.csv"), "--state-dir", At("st"));   // a name that starts like it is not in it
        OutFile.CheckOutside(At("out.csv"), "--state-dir", null);
        Assert.Equal("state", File.ReadAllText(Path.Combine(state, "state", "gg-sweep", "x.sweep.state")));
    }
}
