using GradGuessCluster.Client.Bench;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>bench's <c>--out</c> adds a section to the file it names: only a markdown file that is new, empty or written
/// by bench before is taken, and a link to one stays a link.</summary>
public sealed class BenchmarksFileOutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-benchout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string At(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("victim.yaml", "", "expected a markdown file (.md)")]
    [InlineData("README.md", "# Project\n\nNot benchmarks.\n", "holds no section written by gradguess bench")]
    [InlineData("-", "", "printed on stdout anyway")]
    public void AFileThatIsNotABenchmarksFile_IsRefused_AndKeptAsItWas(string name, string text, string message)
    {
        var path = name == "-" ? name : At(name);
        if (name != "-") File.WriteAllText(path, text);
        var e = Assert.Throws<UsageException>(() => BenchmarksFile.OutPath(path));
        Assert.Contains(message, e.Message);
        if (name != "-") Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public void ANewOrEmptyMarkdownFile_AndTheCheckoutsOwn_AreTaken()
    {
        File.WriteAllText(At("empty.md"), "");
        File.Copy(Path.Combine(BenchmarksFile.CheckoutRoot()!, "docs", "BENCHMARKS.md"), At("BENCHMARKS.md"));
        foreach (var name in new[] { "new.md", "empty.md", "BENCHMARKS.md" })
            Assert.Equal(At(name), BenchmarksFile.OutPath(At(name)));
        Assert.Null(BenchmarksFile.OutPath("none"));
    }

    [Fact]
    public void Upsert_ThroughASymbolicLink_UpdatesItsTarget_AndKeepsTheLink()
    {
        Directory.CreateDirectory(At("docs"));
        File.CreateSymbolicLink(At("link.md"), "docs/BENCHMARKS.md");
        BenchmarksFile.Upsert(At("link.md"), "x-bench", "first");
        BenchmarksFile.Upsert(At("link.md"), "x-bench", "second");
        Assert.Equal("docs/BENCHMARKS.md", new FileInfo(At("link.md")).LinkTarget);
        var text = File.ReadAllText(At("docs/BENCHMARKS.md"));
        Assert.Contains("<!-- x-bench:start -->\nsecond\n<!-- x-bench:end -->", text);
        Assert.DoesNotContain("first", text);
        Assert.Equal(At("link.md"), BenchmarksFile.OutPath(At("link.md")));   // now holds a section: taken again
    }

    [Fact]
    public void BenchesEndingTogether_KeepEachOthersSections_ThroughALinkToo()
    {
        // Each read the file, added its section and wrote it whole: the later write dropped the earlier one's section.
        var path = At("BENCHMARKS.md");
        File.CreateSymbolicLink(At("link.md"), "BENCHMARKS.md");
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            for (int round = 0; round < 10; round++)
                BenchmarksFile.Upsert(At(i % 2 == 0 ? "BENCHMARKS.md" : "link.md"), $"s{i}-bench", $"run {round}");
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var text = File.ReadAllText(path);
        for (int i = 0; i < 8; i++) Assert.Contains($"<!-- s{i}-bench:start -->\nrun 9\n<!-- s{i}-bench:end -->", text);
    }

    [Fact]
    public void AFileWithCrlfLineEndings_IsTaken_AndItsSectionReplacedInItsOwnLineEndings()
    {
        // A Windows editor's CRLF once read as 'holds no section written by gradguess bench'.
        var path = At("BENCHMARKS.md");
        File.WriteAllText(path, "# Benchmarks\r\n\r\n<!-- x-bench:start -->\r\nold\r\n<!-- x-bench:end -->\r\n\r\nhand-written\r\n");
        Assert.Equal(path, BenchmarksFile.OutPath(path));
        BenchmarksFile.Upsert(path, "x-bench", "new\nrows");
        BenchmarksFile.Upsert(path, "y-bench", "appended");
        Assert.Equal("# Benchmarks\r\n\r\n<!-- x-bench:start -->\r\nnew\r\nrows\r\n<!-- x-bench:end -->\r\n\r\nhand-written\r\n\r\n" +
                     "<!-- y-bench:start -->\r\nappended\r\n<!-- y-bench:end -->\r\n", File.ReadAllText(path));
    }

    [Fact]
    public void AStartMarkerWithoutItsEnd_IsDropped_AndNoLaterRunTakesTheSectionsAfterIt()
    {
        // The end was looked for from the file's start: with this section's end gone (a hand edit), the section was
        // appended, and the run after replaced everything from the orphan start to the new end, y-bench included.
        var path = At("BENCHMARKS.md");
        File.WriteAllText(path, "# Benchmarks\n\n<!-- x-bench:start -->\nold\n\n<!-- y-bench:start -->\nkept\n<!-- y-bench:end -->\n");
        BenchmarksFile.Upsert(path, "x-bench", "first");
        BenchmarksFile.Upsert(path, "x-bench", "second");
        var text = File.ReadAllText(path);
        Assert.Contains("<!-- y-bench:start -->\nkept\n<!-- y-bench:end -->", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "x-bench:start"));
        Assert.EndsWith("<!-- x-bench:start -->\nsecond\n<!-- x-bench:end -->\n", text);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void AFileItCannotRead_ExitsTwo_NamingIt_BeforeTheBench()
    {
        var path = At("BENCHMARKS.md");
        File.WriteAllText(path, "<!-- x-bench:start -->\nrows\n<!-- x-bench:end -->\n");
        File.SetUnixFileMode(path, UnixFileMode.UserWrite);   // writable, so that it is the read that refuses it
        var r = CliRunner.RunHeldToFileModes("bench", "--data", "synthetic", "--out", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --out: cannot read {path} (permission denied); the bench reads it to replace its section", Assert.Single(r.StderrLines));
        Assert.Empty(r.Stdout);
    }

    private static readonly byte[] Latin1Section = System.Text.Encoding.Latin1.GetBytes(
        "# Benchmarks\n\n<!-- x-bench:start -->\nold\n<!-- x-bench:end -->\n\nhand-written: caf\u00e9\n");   // é as one byte, 0xE9

    [Fact]
    public void AFileThatIsNotUtf8_IsRefusedBeforeTheBench_NamingTheByte_AndKeptAsItWas()
    {
        // Read as U+FFFD and written back whole, the other sections' bytes were lost.
        var path = At("BENCHMARKS.md");
        File.WriteAllBytes(path, Latin1Section);
        var e = Assert.Throws<UsageException>(() => BenchmarksFile.OutPath(path));
        Assert.StartsWith($"--out: {path} is not valid UTF-8 at byte {Array.IndexOf(Latin1Section, (byte)0xE9)}; ", e.Message);
        Assert.Equal(Latin1Section, File.ReadAllBytes(path));
    }

    [Fact]
    public void AFileThatTurnedNotUtf8DuringTheBench_IsNotRewritten()
    {
        var path = At("BENCHMARKS.md");
        File.WriteAllBytes(path, Latin1Section);
        Assert.Throws<UsageException>(() => BenchmarksFile.Upsert(path, "x-bench", "new"));
        Assert.Equal(Latin1Section, File.ReadAllBytes(path));
    }

    [Fact]
    public void AFileWithAByteOrderMark_KeepsIt()
    {
        var path = At("BENCHMARKS.md");
        byte[] bom = [0xEF, 0xBB, 0xBF];
        File.WriteAllBytes(path, [.. bom, .. System.Text.Encoding.UTF8.GetBytes("# Benchmarks\n\n<!-- x-bench:start -->\nold\n<!-- x-bench:end -->\n\ncafé\n")]);
        Assert.Equal(path, BenchmarksFile.OutPath(path));
        BenchmarksFile.Upsert(path, "x-bench", "new");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(bom, bytes[..3]);
        Assert.Equal("# Benchmarks\n\n<!-- x-bench:start -->\nnew\n<!-- x-bench:end -->\n\ncafé\n", System.Text.Encoding.UTF8.GetString(bytes[3..]));
    }
}
