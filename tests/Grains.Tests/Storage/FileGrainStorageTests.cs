using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Storage;

public sealed class FileGrainStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gg-store-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FileGrainStorage _store;

    public FileGrainStorageTests() =>
        _store = new FileGrainStorage("test", new FileGrainStorageOptions { RootDirectory = _root }, new JsonTestSerializer(),
            NullLogger<FileGrainStorage>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    public sealed class Box
    {
        public int Value { get; set; }
    }

    private static GrainId Id(string key) => GrainId.Create("gg-test", key);

    [Fact]
    public async Task WriteThenRead_RoundTripsStateAndETag()
    {
        var written = new GrainState<Box>(new Box { Value = 42 });
        await _store.WriteStateAsync("s", Id("a"), written);
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), read);

        Assert.True(read.RecordExists);
        Assert.Equal(42, read.State!.Value);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(written.ETag);
    }

    [Fact]
    public async Task Write_StoresTheStateAsItWasWhenCalled_NotAsTheGrainChangedItSince()
    {
        // A reentrant grain (the sweep coordinator) keeps changing its state while a write is in flight.
        var box = new Box();
        var state = new GrainState<Box>(box);
        for (int i = 1; i <= 20; i++)
        {
            box.Value = i;
            var write = _store.WriteStateAsync("s", Id("a"), state);
            box.Value = -i;
            await write;
            var read = new GrainState<Box>(new Box());
            await _store.ReadStateAsync("s", Id("a"), read);
            Assert.Equal(i, read.State!.Value);
        }
    }

    [Fact]
    public async Task Read_Missing_HasNoRecordAndNoETag()
    {
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("missing"), read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    /// <summary>A file where a state directory belongs (a stray copy, a broken volume) fails reads and writes, naming it.
    /// Read as no record, the grain would start afresh, and its first write would replace the state put back later.</summary>
    [Fact]
    public async Task FileWhereTheStateDirectoryBelongs_FailsReadsAndWrites_AndTheStateIsThereOnceItIsBack()
    {
        await _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 7 }));
        var typeDirectory = Directory.GetDirectories(_root).Single();
        Directory.Move(typeDirectory, typeDirectory + ".away");
        File.WriteAllText(typeDirectory, "not a directory");

        var read = await Assert.ThrowsAsync<FileGrainStorageException>(() => _store.ReadStateAsync("s", Id("a"), new GrainState<Box>(new Box())));
        Assert.Contains($"{typeDirectory} is a file, not a directory", read.Message);
        await Assert.ThrowsAsync<FileGrainStorageException>(() => _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 8 })));

        File.Delete(typeDirectory);
        Directory.Move(typeDirectory + ".away", typeDirectory);
        var back = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), back);
        Assert.Equal(7, back.State!.Value);
    }

    [Fact]
    public async Task Write_WithStaleETag_ThrowsAndKeepsTheStoredState()
    {
        var first = new GrainState<Box>(new Box { Value = 1 });
        await _store.WriteStateAsync("s", Id("a"), first);
        var stale = new GrainState<Box>(new Box { Value = 2 }) { ETag = first.ETag };
        await _store.WriteStateAsync("s", Id("a"), first);   // moves the stored ETag on

        await Assert.ThrowsAsync<InconsistentStateException>(() => _store.WriteStateAsync("s", Id("a"), stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 3 })));   // no ETag, but a record exists
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), read);
        Assert.Equal(1, read.State!.Value);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Clear_DeletesTheRecord()
    {
        var state = new GrainState<Box>(new Box { Value = 1 });
        await _store.WriteStateAsync("s", Id("a"), state);
        await _store.ClearStateAsync("s", Id("a"), state);
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), read);

        Assert.False(read.RecordExists);
        Assert.Null(state.ETag);
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("a\\b/c")]
    [InlineData("ünïcödé key")]
    public async Task Write_HostileKeys_StayInsideTheRootAndStayDistinct(string key)
    {
        await _store.WriteStateAsync("s", Id(key), new GrainState<Box>(new Box { Value = 7 }));
        await _store.WriteStateAsync("s", Id(key + "x"), new GrainState<Box>(new Box { Value = 8 }));

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.StartsWith(Path.GetFullPath(_root) + "/", Path.GetFullPath(f)));
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id(key), read);
        Assert.Equal(7, read.State!.Value);
    }

    [Fact]
    public async Task FlushToDisk_WritesOverTheOldFileAndReadsBack()
    {
        var durable = new FileGrainStorage("test", new FileGrainStorageOptions { RootDirectory = _root, FlushToDisk = true },
            new JsonTestSerializer(), NullLogger<FileGrainStorage>.Instance);
        var written = new GrainState<Box>(new Box { Value = 5 });
        await durable.WriteStateAsync("s", Id("durable"), written);
        written.State!.Value = 6;
        await durable.WriteStateAsync("s", Id("durable"), written);   // over the old file
        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("durable"), read);
        Assert.Equal((6, written.ETag), (read.State!.Value, read.ETag));
    }

    [Fact]
    public void PathFor_VeryLongKey_IsShortenedWithAHash()
    {
        var a = StateFileNames.PathFor(_root, "t", new string('k', 1000), "s");
        var b = StateFileNames.PathFor(_root, "t", new string('k', 999) + "j", "s");
        Assert.True(Path.GetFileName(a).Length < 255);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Read_CorruptFile_ThrowsNamingTheFile()
    {
        await _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 1 }));
        var file = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(file, "garbage");

        var e = await Assert.ThrowsAsync<StateFileCorruptException>(() => _store.ReadStateAsync("s", Id("a"), new GrainState<Box>(new Box())));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public async Task Read_DamageThatStillParses_IsCaughtByTheChecksum()
    {
        await _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 42 }));
        var file = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Single();
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("42", text);
        await File.WriteAllTextAsync(file, text.Replace("42", "43", StringComparison.Ordinal));   // one digit, still valid JSON

        var e = await Assert.ThrowsAsync<StateFileCorruptException>(() => _store.ReadStateAsync("s", Id("a"), new GrainState<Box>(new Box())));
        Assert.Equal($"state file {file} is corrupt: its contents do not match its checksum", e.Message);
    }

    [Fact]
    public async Task Read_AFileOfABuildBeforeChecksums_ReadsAndIsWrittenOver()
    {
        await _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 1 }));
        var file = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(file, "gradguess-state 1 0123456789abcdef0123456789abcdef\n{\"Value\":7}");

        var read = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), read);
        Assert.Equal((7, "0123456789abcdef0123456789abcdef"), (read.State!.Value, read.ETag));
        read.State.Value = 8;
        await _store.WriteStateAsync("s", Id("a"), read);
        var again = new GrainState<Box>(new Box());
        await _store.ReadStateAsync("s", Id("a"), again);
        Assert.Equal(8, again.State!.Value);
        Assert.Matches("^gradguess-state 1 [0-9a-f]{32} [0-9a-f]{16}\n", await File.ReadAllTextAsync(file));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("  \n")]
    public async Task Read_FileWithAHeaderButNoState_ThrowsNamingTheFile(string payload)
    {
        await _store.WriteStateAsync("s", Id("a"), new GrainState<Box>(new Box { Value = 1 }));
        var file = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Single();
        var header = File.ReadAllText(file).Split('\n')[0];
        await File.WriteAllTextAsync(file, header + "\n" + payload);

        var e = await Assert.ThrowsAsync<StateFileCorruptException>(() => _store.ReadStateAsync("s", Id("a"), new GrainState<Box>(new Box())));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void StaleTempFiles_AreRemovedAtStart_ButNotOnesBeingWrittenNow()
    {
        var directory = Path.Combine(_root, "gg-sweep");
        Directory.CreateDirectory(directory);
        var state = Path.Combine(directory, "s.sweep.state");
        var killed = state + ".0123.tmp";
        var writing = state + ".4567.tmp";
        foreach (var file in new[] { state, killed, writing }) File.WriteAllText(file, "x");
        File.SetLastWriteTimeUtc(killed, DateTime.UtcNow - FileGrainStorage.StaleTempFileAge - TimeSpan.FromMinutes(1));

        Assert.Equal(1, FileGrainStorage.RemoveStaleTempFiles(_root, DateTime.UtcNow - FileGrainStorage.StaleTempFileAge));

        Assert.Equal([state, writing], Directory.GetFiles(directory).Order(StringComparer.Ordinal));
    }
}
