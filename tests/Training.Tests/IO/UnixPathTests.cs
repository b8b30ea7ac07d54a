using System.Diagnostics;
using System.Text;
using GradGuessCluster.Training.IO;

namespace GradGuessCluster.Training.Tests.IO;

public sealed class UnixPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-unixpath-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HiddenSibling_OfAShortName_IsDotNameDotTail()
    {
        Assert.Equal(Path.Combine(_dir, ".cell.ckpt.lock"), UnixPath.HiddenSibling(Path.Combine(_dir, "cell.ckpt"), "lock"));
    }

    [Theory]
    [InlineData('c', 250)]
    [InlineData('é', 127)]          // 254 bytes: cut between two-byte characters, never inside one
    public void HiddenSibling_OfALongLegalName_FitsTheNameLimit_AndTellsTwoSuchNamesApart(char letter, int count)
    {
        var name = new string(letter, count);
        var one = Path.GetFileName(UnixPath.HiddenSibling(Path.Combine(_dir, name), "0123456789abcdef0123456789abcdef.tmp"));
        var other = Path.GetFileName(UnixPath.HiddenSibling(Path.Combine(_dir, name[..^1] + "x"), "0123456789abcdef0123456789abcdef.tmp"));
        Assert.InRange(Encoding.UTF8.GetByteCount(one), 1, UnixPath.MaxNameBytes);
        Assert.NotEqual(one, other);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(one)));
        File.WriteAllText(Path.Combine(_dir, one), "x");   // the file system takes it
    }

    [Fact]
    public void IsSpecialFile_IsTrueForAFifoAndADevice_NotForAFileADirectoryOrNothing()
    {
        var fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        Assert.True(UnixPath.IsSpecialFile(fifo));
        Assert.True(UnixPath.IsSpecialFile("/dev/null"));
        Assert.False(UnixPath.IsSpecialFile(file));
        Assert.False(UnixPath.IsSpecialFile(_dir));
        Assert.False(UnixPath.IsSpecialFile(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Real_ResolvesADirectoryLink_AndIsNullForNothing()
    {
        var target = Directory.CreateDirectory(Path.Combine(_dir, "target")).FullName;
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);
        File.WriteAllText(Path.Combine(target, "f"), "x");
        Assert.Equal(Path.Combine(UnixPath.Real(_dir)!, "target", "f"), UnixPath.Real(Path.Combine(link, "..", "link", "f")));
        Assert.Null(UnixPath.Real(Path.Combine(link, "missing")));
    }
}
