using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Grains.Tests.Specs;

/// <summary>The data check a spec passes before a sweep starts, on the real Fashion-MNIST files.</summary>
[Collection(nameof(DataSetCheckTests))]                          // sets XDG_CACHE_HOME, which the default directories read
public sealed class DataSetCheckTests : IDisposable
{
    private const string Package = "/usr/share/datasets/fashion-mnist";
    private static readonly string[] Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    private readonly string _dir = Directory.CreateTempSubdirectory("gg-datacheck-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mnist_WithoutADirectory_IsLookedForInTheDownloadCache_LikeTrainAndDownload()
    {
        // MNIST-format files of its own: Fashion-MNIST's published ones are refused as MNIST.
        using var files = new DataFixtures();
        var mnist = files.WriteIdxSet(train: 16, test: 4, sub: Path.Combine("cache", "gradguess", "mnist"));
        var cache = files.PathOf("cache");
        var old = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cache);
            Assert.Null(new DataSetCheck().Problem(new DataSpec("mnist")));
            Directory.Delete(mnist, recursive: true);
            var problem = new DataSetCheck().Problem(new DataSpec("mnist"));
            Assert.Contains(mnist, problem);
            Assert.Contains("./gradguess download mnist", problem);
        }
        finally { Environment.SetEnvironmentVariable("XDG_CACHE_HOME", old); }
    }

    [Fact]
    public void TruncatedFile_IsAProblemNamingIt()
    {
        foreach (var f in Files) File.CreateSymbolicLink(Path.Combine(_dir, f), Path.Combine(Package, f));
        Assert.Null(new DataSetCheck().Problem(new DataSpec("fashion-mnist", _dir)));

        var labels = Path.Combine(_dir, Files[1]);
        var bytes = File.ReadAllBytes(Path.Combine(Package, Files[1]));
        File.Delete(labels);
        File.WriteAllBytes(labels, bytes[..(bytes.Length / 2)]);
        var problem = new DataSetCheck().Problem(new DataSpec("fashion-mnist", _dir));
        Assert.NotNull(problem);
        Assert.StartsWith(labels, problem);
    }
}

[CollectionDefinition(nameof(DataSetCheckTests), DisableParallelization = true)]
public sealed class DataSetCheckTestsCollection;
