using GradGuessCluster.Tests.Shared;
using static GradGuessCluster.Tests.Shared.DataFixtures;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Data.Download;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>The downloader against a real HTTP server on loopback serving small generated files.</summary>
public sealed class DatasetDownloaderTests : IDisposable
{
    private readonly DataFixtures _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _files.Dispose();
    }

    private static string Md5(string path) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)));

    /// <summary>A tiny MNIST-shaped set on the server, and a catalog entry with its true checksums.</summary>
    private (string ServerDir, RemoteDataset Remote) ServeMnist(LoopbackFileServer? server = null)
    {
        var dir = _files.WriteIdxSet(train: 6, test: 4, gzip: true, sub: "server");
        var files = Directory.GetFiles(dir).Order()
            .Select(p => new RemoteFile(Path.GetFileName(p), Md5(p))).ToArray();
        return (dir, new RemoteDataset("mnist", [], files));
    }

    /// <summary>A tiny CIFAR-10 set (3 records a batch) as the published .tar.gz on the server, with its true checksum.</summary>
    private (string ServerDir, RemoteDataset Remote) ServeCifarArchive()
    {
        var batches = _files.WriteCifarSet(perFile: 3, sub: "cifar-src");
        var archive = _files.PathOf("server/cifar-10-binary.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        using (var gz = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
            TarFile.CreateFromDirectory(Path.Combine(batches, Cifar10Reader.FolderName), gz, includeBaseDirectory: true);
        return (Path.GetDirectoryName(archive)!, new RemoteDataset("cifar10", [], [new RemoteFile("cifar-10-binary.tar.gz", Md5(archive), Extract: true)]));
    }

    /// <summary>A part of <paramref name="file"/> as a download or unpacking writes it (<c>FILE.ID.part</c>), last written
    /// <paramref name="age"/> ago.</summary>
    private static string Part(string directory, string file, string id, TimeSpan age)
    {
        var part = Path.Combine(directory, $"{file}.{id}.part");
        File.WriteAllText(part, "half a file");
        File.SetLastWriteTimeUtc(part, DateTime.UtcNow - age);
        return part;
    }

    [Fact]
    public async Task Download_RemovesThePartsOfKilledDownloads_NotOneUnderWay()
    {
        var (serverDir, remote) = ServeMnist();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target");
        Directory.CreateDirectory(target);
        var name = remote.Files[0].Name;
        var killed = Part(target, name, "0123456789abcdef0123456789abcdef", TimeSpan.FromHours(3));
        var running = Part(target, name, "fedcba9876543210fedcba9876543210", TimeSpan.FromSeconds(5));   // another download's, writing now
        var other = Path.Combine(target, "notes.0123456789abcdef0123456789abcdef.part");   // not a part of the set's files
        File.WriteAllText(other, "mine");
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow - TimeSpan.FromHours(3));

        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);

        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public async Task Download_FromLoopbackMirror_VerifiesReportsAndLoads()
    {
        var (serverDir, remote) = ServeMnist();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target");
        var reports = new List<(string File, long Bytes, long? Total)>();

        var dir = await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target, new SyncProgress(reports.Add));

        Assert.Equal(target, dir);
        foreach (var f in remote.Files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(serverDir, f.Name)), File.ReadAllBytes(Path.Combine(target, f.Name)));
        Assert.Empty(Directory.GetFiles(target, "*.part"));
        var last = reports.Last(r => r.File == DatasetLoader.TrainImages + ".gz");
        Assert.Equal(new FileInfo(Path.Combine(serverDir, last.File)).Length, last.Bytes);
        Assert.Equal(last.Bytes, last.Total);
        DatasetLoader.Check(new DataSource("mnist", target));
    }

    [Fact]
    public async Task Download_ChecksumMismatch_LeavesNoFileAndNamesUrlAndBothChecksums()
    {
        var (serverDir, remote) = ServeMnist();
        using var server = new LoopbackFileServer(serverDir);
        var bad = remote.Files[0] with { Md5 = "00112233445566778899aabbccddeeff" };
        remote = remote with { Files = [bad, .. remote.Files.Skip(1)] };
        var target = _files.PathOf("target");

        var e = await Assert.ThrowsAsync<DownloadException>(() =>
            new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target));

        Assert.Contains(new Uri(server.BaseUrl, bad.Name).ToString(), e.Message);
        Assert.Contains("expected MD5 00112233445566778899aabbccddeeff", e.Message);
        Assert.Contains("got " + Md5(Path.Combine(serverDir, bad.Name)), e.Message);
        Assert.False(Directory.Exists(target), "a download that brought nothing must not leave its (new) directory behind");
    }

    [Fact]
    public async Task Download_FilesAlreadyVerified_AreNotFetchedAgain()
    {
        var (serverDir, remote) = ServeMnist();
        var target = _files.PathOf("target");
        using (var server = new LoopbackFileServer(serverDir))
            await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);
        File.Delete(Path.Combine(target, remote.Files[1].Name));   // one gone

        using var again = new LoopbackFileServer(serverDir);
        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(again.BaseUrl), target);

        Assert.Equal([remote.Files[1].Name], again.Requests);
        Assert.Equal(remote.Files[1].Md5, Md5(Path.Combine(target, remote.Files[1].Name)));
    }

    [Fact]
    public async Task Download_IntoADirectoryHoldingOtherFilesOfTheSameNames_IsRefusedBeforeFetching_AndOverwritesNothing()
    {
        // `download mnist --dir D` with D holding another set's files of the same names replaced them silently.
        var (serverDir, remote) = ServeMnist();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.WriteIdxSet(train: 3, test: 2, gzip: true, sub: "target");   // other data, same names
        File.Delete(Path.Combine(target, remote.Files[0].Name));                           // one missing: not fetched either
        var before = Directory.GetFiles(target).ToDictionary(p => p, File.ReadAllBytes);

        var e = await Assert.ThrowsAsync<DataFormatException>(() =>
            new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target));

        Assert.Equal(Path.Combine(target, remote.Files[1].Name), e.FilePath);
        Assert.StartsWith($"is there already and is not mnist's published {remote.Files[1].Name} (MD5 ", e.Problem);
        Assert.EndsWith("nothing was overwritten: download into another --dir, or move the file away", e.Problem);
        Assert.Empty(server.Requests);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(target).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public async Task Download_OverTheOtherSetsPublishedFile_NamesTheSetItBelongsTo()
    {
        using var server = new LoopbackFileServer(_files.PathOf("nothing"));
        var target = _files.PathOf("target");
        Directory.CreateDirectory(target);
        var labels = Path.Combine(target, DatasetLoader.TrainLabels + ".gz");
        File.CreateSymbolicLink(labels, Path.Combine(DataLocations.FashionMnistPackageDirectory, DatasetLoader.TrainLabels + ".gz"));

        var e = await Assert.ThrowsAsync<DataFormatException>(() => new DatasetDownloader(_http).DownloadAsync("mnist", target, server.BaseUrl));

        Assert.Equal(labels, e.FilePath);
        Assert.Contains(": it is fashion-mnist's; nothing was overwritten", e.Problem);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Download_FirstMirrorMissing_FallsBackToSecond()
    {
        var (serverDir, remote) = ServeMnist();
        using var empty = new LoopbackFileServer(_files.PathOf("nothing"));
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target");

        await new DatasetDownloader(_http).DownloadAsync(remote with { Mirrors = [empty.BaseUrl, server.BaseUrl] }, target);

        Assert.Equal(remote.Files.Count, empty.Requests.Count);
        DatasetLoader.Check(new DataSource("mnist", target));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]     // as shell completion types it
    public async Task Download_CifarArchive_IsVerifiedAndUnpacked(string trailing)
    {
        var (serverDir, remote) = ServeCifarArchive();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target") + trailing;

        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);
        using var data = DatasetLoader.Load(new DataSource("cifar10", target));
        Assert.Equal((15L, 3L), (data.TrainCount, data.TestCount));

        File.Delete(Path.Combine(target, "cifar-10-binary.tar.gz"));       // unpacked data suffices
        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Download_CifarArchive_KeepsUnpackedFilesItWouldWriteAlike_AndRefusesOthers()
    {
        var (serverDir, remote) = ServeCifarArchive();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target");
        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);
        var folder = Path.Combine(target, Cifar10Reader.FolderName);
        File.Delete(Path.Combine(folder, Cifar10Reader.TestFile));   // not loadable: unpacked again, over files alike

        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);
        Assert.True(File.Exists(Path.Combine(folder, Cifar10Reader.TestFile)));

        var mine = Path.Combine(folder, Cifar10Reader.TrainFiles[0]);
        var other = CifarRecords(3, labelOffset: 1);
        File.WriteAllBytes(mine, other);
        File.Delete(Path.Combine(folder, Cifar10Reader.TestFile));
        var e = await Assert.ThrowsAsync<DataFormatException>(() =>
            new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target));
        Assert.Equal(mine, e.FilePath);
        Assert.Contains("nothing was overwritten", e.Problem);
        Assert.Equal(other, File.ReadAllBytes(mine));
    }

    [Fact]
    public async Task Download_RealCatalogFromMirrorOfDebianFiles_AcceptsRecompressedCopiesByContent()
    {
        // Debian's .gz files are not byte-identical to upstream's; the catalog's content MD5s still identify them.
        using var server = new LoopbackFileServer(DataLocations.FashionMnistPackageDirectory);
        var target = _files.PathOf("fmnist");

        await new DatasetDownloader(_http).DownloadAsync("fashion-mnist", target, server.BaseUrl);

        Assert.Equal(4, server.Requests.Count);
        DatasetLoader.Check(new DataSource("fashion-mnist", target));
    }

    [Fact]
    public async Task Download_ArchiveEntryEscapingTheDirectory_IsRefused()
    {
        var archive = _files.PathOf("server/cifar-10-binary.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        using (var gz = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../escaped.bin") { DataStream = new MemoryStream([1, 2, 3]) });
        var remote = new RemoteDataset("cifar10", [], [new RemoteFile("cifar-10-binary.tar.gz", Md5(archive), Extract: true)]);
        using var server = new LoopbackFileServer(Path.GetDirectoryName(archive)!);
        var target = _files.PathOf("target");

        var e = await Assert.ThrowsAsync<DataFormatException>(() =>
            new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target));

        Assert.Contains("../escaped.bin", e.Problem);
        Assert.False(File.Exists(_files.PathOf("escaped.bin")));
    }

    [Fact]
    public async Task Download_CifarArchive_RemovesThePartsOfAKilledUnpacking_NotOneUnderWay()
    {
        // Only the archive's own parts were cleaned up: a data batch's part (30 MB for CIFAR-10) stayed for good.
        var (serverDir, remote) = ServeCifarArchive();
        using var server = new LoopbackFileServer(serverDir);
        var folder = Path.Combine(_files.PathOf("target"), Cifar10Reader.FolderName);
        Directory.CreateDirectory(folder);
        var killed = Part(folder, Cifar10Reader.TrainFiles[0], "0123456789abcdef0123456789abcdef", TimeSpan.FromHours(3));
        var running = Part(folder, Cifar10Reader.TrainFiles[0], "fedcba9876543210fedcba9876543210", TimeSpan.FromSeconds(5));   // another unpacking's, writing now

        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), _files.PathOf("target"));

        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(running));
    }

    [Fact]
    public async Task Download_CifarArchive_LeavesAnotherDownloadsPartFileAlone()
    {
        // Two downloads into one directory (a setup script on two nodes of a shared home): each entry was unpacked to
        // NAME.part, one fixed name, which the second deleted and the first then renamed into place half written.
        var (serverDir, remote) = ServeCifarArchive();
        using var server = new LoopbackFileServer(serverDir);
        var target = _files.PathOf("target");
        var theirs = Path.Combine(target, Cifar10Reader.FolderName, Cifar10Reader.TrainFiles[0] + ".part");
        Directory.CreateDirectory(Path.GetDirectoryName(theirs)!);
        File.WriteAllText(theirs, "another download's half file");

        await new DatasetDownloader(_http).DownloadAsync(remote.WithBaseUrl(server.BaseUrl), target);

        Assert.Equal("another download's half file", File.ReadAllText(theirs));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(theirs)!, "*.part"));   // none of its own left behind
        using var data = DatasetLoader.Load(new DataSource("cifar10", target));
        Assert.Equal(15L, data.TrainCount);
    }

    [Theory]
    [InlineData(true)]    // reset (on loopback .NET reports it as a response ended early, which was handled already)
    [InlineData(false)]   // stalled: HttpClient.Timeout covered only the headers, so it hung
    public async Task Download_MirrorFailingMidFile_FallsBackToTheNext(bool reset)
    {
        var (serverDir, remote) = ServeMnist();
        using var broken = new BrokenMirror(reset);
        using var server = new LoopbackFileServer(serverDir);
        // The timeout also bounds each request to the good mirror: 1 s once timed it out on a loaded CI machine. The
        // stalled mirror costs one timeout per file, so this test waits about 4 × 4 s.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var target = _files.PathOf("target");

        await new DatasetDownloader(http).DownloadAsync(remote with { Mirrors = [broken.BaseUrl, server.BaseUrl] }, target, ct: guard.Token);

        Assert.Equal(remote.Files.Count, broken.Requests);
        Assert.Empty(Directory.GetFiles(target, "*.part"));
        DatasetLoader.Check(new DataSource("mnist", target));
    }

    [Fact]
    public async Task Download_EveryMirrorFailingMidFile_NamesEachUrlAndWhatWentWrong()
    {
        var (_, remote) = ServeMnist();
        using var reset = new BrokenMirror(reset: true);
        using var stalled = new BrokenMirror(reset: false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var target = _files.PathOf("target");

        var e = await Assert.ThrowsAsync<DownloadException>(() =>
            new DatasetDownloader(http).DownloadAsync(remote with { Mirrors = [reset.BaseUrl, stalled.BaseUrl] }, target, ct: guard.Token));

        var file = remote.Files[0].Name;
        Assert.True(e.Message.Contains($"{new Uri(reset.BaseUrl, file)}: "), e.Message);
        Assert.Contains($"{new Uri(stalled.BaseUrl, file)}: timed out", e.Message);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Download_UnknownSet_ListsDownloadableOnes()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => new DatasetDownloader(_http).DownloadAsync("synthetic"));
        Assert.Contains("mnist, fashion-mnist, cifar10", e.Message);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<(string, long, long?)> report) : IProgress<(string File, long Bytes, long? Total)>
    {
        public void Report((string File, long Bytes, long? Total) value) => report(value);
    }
}
