using System.Diagnostics;
using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Data.Download;
using GradGuessCluster.Training.Runtime;
using Xunit.Abstractions;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>The real Fashion-MNIST files of the Debian package dataset-fashion-mnist (installed by .ci/run).</summary>
public sealed class FashionMnistTests(ITestOutputHelper output)
{
    private static readonly string Dir = DataLocations.FashionMnistPackageDirectory;

    [Fact]
    public void Load_DebianPackage_GivesTheKnownSplitsAndLabels()
    {
        TorchRuntime.SetThreads(1);
        Assert.True(Directory.Exists(Dir), $"{Dir} is missing: apt-get install dataset-fashion-mnist");
        var clock = Stopwatch.StartNew();
        using var data = DatasetLoader.Load(new DataSource("fashion-mnist"));
        output.WriteLine($"loaded both splits in {clock.Elapsed.TotalSeconds:F2} s");

        Assert.Equal("fashion-mnist", data.Name);
        Assert.Equal(60000, data.TrainCount);
        Assert.Equal(10000, data.TestCount);
        Assert.Equal(784, data.Features);
        Assert.Equal(10, data.Classes);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, data.TrainX.dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, data.TrainY.dtype);
        Assert.Equal([9L, 0, 0, 3, 0, 2, 7, 2], data.TrainY[..8].data<long>().ToArray());
        Assert.Equal([9L, 2, 1, 1, 6, 1, 4, 6], data.TestY[..8].data<long>().ToArray());
        double mean = data.TrainX.mean().item<float>(), std = data.TrainX.std().item<float>();
        output.WriteLine($"normalised train features: mean {mean:F4}, std {std:F4}");
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.98, 1.02);
    }

    [Fact]
    public void Check_DebianPackage_Passes()
    {
        DatasetLoader.Check(new DataSource("fashion-mnist"));
        Assert.Equal(Dir, DataLocations.DefaultDirectory("fashion-mnist"));
    }

    [Fact]
    public void TheseFilesNamedMnist_AreRefused_BeforeAndAtLoading()
    {
        // Same names, headers and shapes as MNIST's: once trained as "mnist", with MNIST's normalisation and name.
        TorchRuntime.SetThreads(1);
        foreach (var read in new Action[] { () => DatasetLoader.Check(new DataSource("mnist", Dir)), () => DatasetLoader.Load(new DataSource("mnist", Dir)).Dispose() })
        {
            var e = Assert.Throws<DataFormatException>(read);
            Assert.Contains("these are fashion-mnist's published files", e.Message);
            Assert.Contains(Path.Combine(Dir, "train-labels-idx1-ubyte.gz"), e.Message);
        }
    }

    [Fact]
    public void ItsTestFilesBesideOtherTrainFiles_AreRefused_NamingTheTestLabels()
    {
        // Train files of the named set (here a tiny one: neither set's published files) with the other set's t10k files
        // beside them trained silently, with test accuracy measured on the other set.
        TorchRuntime.SetThreads(1);
        using var files = new DataFixtures();
        var dir = files.WriteIdxSet(train: 4, test: 2);
        foreach (var name in new[] { DatasetLoader.TestImages, DatasetLoader.TestLabels })
        {
            File.Delete(Path.Combine(dir, name + ".gz"));
            File.CreateSymbolicLink(Path.Combine(dir, name + ".gz"), Path.Combine(Dir, name + ".gz"));
        }
        foreach (var read in new Action[] { () => DatasetLoader.Check(new DataSource("mnist", dir)), () => DatasetLoader.Load(new DataSource("mnist", dir)).Dispose() })
        {
            var e = Assert.Throws<DataFormatException>(read);
            Assert.Equal(Path.Combine(dir, DatasetLoader.TestLabels + ".gz"), e.FilePath);
            Assert.StartsWith("these are fashion-mnist's published test labels", e.Problem);
            Assert.Contains("not mnist's", e.Problem);
        }
    }

    [Fact]
    public void Catalog_ContentChecksums_MatchTheDebianFiles()
    {
        // Debian re-packs upstream's .gz files (the gzip header loses the file name), so the published file MD5s
        // cannot match; the MD5s of the decompressed IDX content must.
        foreach (var file in DownloadCatalog.FashionMnist.Files)
        {
            var path = Path.Combine(Dir, file.Name);
            Assert.Equal(file.ContentMd5, FileChecksum.GunzippedMd5(path));
            Assert.True(FileChecksum.Matches(path, file), path);
        }
    }
}
