using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;
using GradGuessCluster.Training.Tests.Support;
using static GradGuessCluster.Tests.Shared.DataFixtures;

namespace GradGuessCluster.Training.Tests.Data;

[Collection(ProcessWideState.Name)]
public sealed class DatasetLoaderTests : IDisposable
{
    private readonly DataFixtures _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Load_UnknownSet_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetLoader.Load(new DataSource("imagenet")));
        Assert.Contains("imagenet", e.Message);
        Assert.Contains("synthetic, fashion-mnist, mnist, cifar10", e.Message);
        Assert.Throws<ArgumentException>(() => DatasetLoader.Check(new DataSource("imagenet")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_MnistFilesRawOrGzipped_NormalisesWithMnistConstants(bool gzip)
    {
        TorchRuntime.SetThreads(1);
        var dir = _files.WriteIdxSet(train: 5, test: 3, gzip);
        DatasetLoader.Check(new DataSource("mnist", dir));
        using var d = DatasetLoader.Load(new DataSource("mnist", dir));

        Assert.Equal((5L, 3L, 784), (d.TrainCount, d.TestCount, d.Features));
        Assert.Equal(Labels(5).Select(b => (long)b), d.TrainY.data<long>().ToArray());
        byte p = Pixels(5, 1)[784 + 17];
        Assert.Equal((p / 255f - 0.1307f) / 0.3081f, d.TrainX[1, 17].item<float>(), 4);
    }

    [Theory]
    [InlineData("mnist", "./gradguess download mnist")]
    [InlineData("fashion-mnist", "dataset-fashion-mnist")]
    public void Check_MissingFile_NamesItAndSaysHowToGetIt(string set, string hint)
    {
        var dir = _files.WriteIdxSet(train: 2, test: 2);
        File.Delete(Path.Combine(dir, DatasetLoader.TestLabels + ".gz"));
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource(set, dir)));
        Assert.Equal(Path.Combine(dir, DatasetLoader.TestLabels + ".gz"), e.FilePath);
        Assert.Contains(hint, e.Problem);
        Assert.Throws<DataFormatException>(() => DatasetLoader.Load(new DataSource(set, dir)));
    }

    [Fact]
    public void ATrainLabelsFileThatFailsToRead_IsADataError_NamingIt()
    {
        // /proc/self/mem fails every read at offset 0 with EIO, as a failing disk would; it was a raw IOException (exit 1).
        var dir = _files.WriteIdxSet(train: 2, test: 2, gzip: false);
        var labels = Path.Combine(dir, DatasetLoader.TrainLabels);
        File.Delete(labels);
        File.CreateSymbolicLink(labels, "/proc/self/mem");
        Assert.Equal(labels, Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource("mnist", dir))).FilePath);
        Assert.Equal(labels, Assert.Throws<DataFormatException>(() => DatasetLoader.Load(new DataSource("mnist", dir))).FilePath);
        var e = Assert.Throws<DataFormatException>(() => PublishedIdxSet.RequireNamed("mnist", labels));
        Assert.Equal(labels, e.FilePath);
        Assert.StartsWith("read failed: ", e.Problem);
    }

    [Theory]
    [InlineData(".gz")]
    [InlineData("")]
    public void ADirectoryWhereADataFileShouldBe_IsNamedAsOne_NotAsMissing(string ext)
    {
        var dir = _files.WriteIdxSet(train: 2, test: 2);
        File.Delete(Path.Combine(dir, DatasetLoader.TrainLabels + ".gz"));
        var where = Path.Combine(dir, DatasetLoader.TrainLabels + ext);
        Directory.CreateDirectory(where);
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource("mnist", dir)));
        Assert.Equal((where, "is a directory, not a file"), (e.FilePath, e.Problem));
    }

    [Fact]
    public void Check_BadHeader_FailsWithoutLoading()
    {
        var dir = _files.WriteIdxSet(train: 4, test: 2, gzip: false);
        var path = _files.Write($"idx/{DatasetLoader.TestImages}", Idx([3, 28, 28], Pixels(3)));   // 3 images, 2 labels
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource("mnist", dir)));
        Assert.Contains(path, e.Problem);
    }

    [Fact]
    public void DefaultDirectories_FollowXdgCacheHome()
    {
        Assert.Equal(DataLocations.FashionMnistPackageDirectory, DataLocations.DefaultDirectory("fashion-mnist"));
        Assert.Equal("", DataLocations.DefaultDirectory("synthetic"));
        var old = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg-test");
            Assert.Equal("/tmp/xdg-test/gradguess/mnist", DataLocations.DefaultDirectory("mnist"));
            Assert.Equal("/tmp/xdg-test/gradguess/cifar10", DataLocations.DirectoryOf(new DataSource("cifar10")));
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache/gradguess/mnist"), DataLocations.CacheDirectory("mnist"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", old);
        }
    }

    [Fact]
    public void Cache_SharesOneCopyPerSourceAndDevice_AndIgnoresCallerDispose()
    {
        TorchRuntime.SetThreads(1);
        var cache = new DatasetCache();
        var source = new DataSource("synthetic", SyntheticTrain: 64, SyntheticTest: 16, SyntheticFeatures: 8);
        var loads = Enumerable.Range(0, 8).AsParallel().Select(_ => cache.Get(source)).ToArray();
        Assert.All(loads, d => Assert.Same(loads[0], d));
        Assert.True(loads[0].IsShared);
        Assert.Equal(1, cache.Count);

        loads[0].Dispose();                                    // a stray using: must not free shared tensors
        Assert.Equal(64, loads[0].TrainX.shape[0]);
        Assert.NotSame(loads[0], cache.Get(source with { SyntheticSeed = 2 }));
        Assert.Equal(2, cache.Count);

        Assert.Throws<DataFormatException>(() => cache.Get(new DataSource("mnist", _files.PathOf("empty"))));
        Assert.Equal(2, cache.Count);                          // a failed load is not cached
        cache.Clear();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Cache_FilesReplacedUnderIt_AreReadAgain_WhileTheCopyInUseStays()
    {
        TorchRuntime.SetThreads(1);
        var cache = new DatasetCache();
        var source = new DataSource("mnist", _files.WriteIdxSet(train: 12, test: 4, gzip: false));
        var before = cache.Get(source);
        Assert.Same(before, cache.Get(source));

        var bytes = ChangeLastLabel(Path.Combine(source.Directory!, DatasetLoader.TrainLabels));
        var after = cache.Get(source);

        Assert.NotSame(before, after);
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Equal(bytes[^1], after.TrainY[^1].item<long>());
        Assert.Equal(12, before.TrainY.shape[0]);   // a trainer may still hold it: not freed
        Assert.Same(after, cache.Get(source));
        cache.Clear();
    }
}
