using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Runtime;
using static GradGuessCluster.Tests.Shared.DataFixtures;

namespace GradGuessCluster.Training.Tests.Data;

public sealed class Cifar10ReaderTests : IDisposable
{
    private readonly DataFixtures _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_TwoFiles_SplitsLabelsFromChannelMajorPixels()
    {
        var a = _files.Write("a.bin", CifarRecords(3));
        var b = _files.Write("b.bin", CifarRecords(2, labelOffset: 4));

        var (pixels, labels) = Cifar10Reader.Read([a, b]);

        Assert.Equal([0, 1, 2, 4, 5], labels);
        Assert.Equal(5 * 3072, pixels.Length);
        Assert.Equal(1, pixels[1 * 3072]);                  // record 1, red plane
        Assert.Equal(51, pixels[1 * 3072 + 1024]);          // record 1, green plane
        Assert.Equal(100 + 1, pixels[4 * 3072 + 2048]);     // record 1 of file b, blue plane
    }

    [Fact]
    public void Read_PartialRecord_SaysNotWholeRecords()
    {
        var path = _files.Write("a.bin", CifarRecords(2)[..^10]);
        var e = Assert.Throws<DataFormatException>(() => Cifar10Reader.Read([path]));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("not a whole number of 3073-byte records (1 records + 3063 bytes)", e.Problem);
        Assert.Contains("30730000 bytes", e.Problem);
    }

    [Fact]
    public void Read_LabelOutOfRange_NamesRecord()
    {
        var bytes = CifarRecords(3);
        bytes[2 * Cifar10Reader.RecordBytes] = 11;
        var path = _files.Write("a.bin", bytes);
        var e = Assert.Throws<DataFormatException>(() => Cifar10Reader.Read([path]));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("label 11 of record 2", e.Problem);
    }

    [Fact]
    public void Read_EmptyOrMissingFile_NamesIt()
    {
        var empty = _files.Write("empty.bin", []);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => Cifar10Reader.Read([empty])).Problem);
        var missing = _files.PathOf("nope.bin");
        Assert.Equal(missing, Assert.Throws<DataFormatException>(() => Cifar10Reader.Read([missing])).FilePath);
    }

    [Fact]
    public void Load_DirectoryOrItsBatchesFolder_GivesSameNormalisedSet()
    {
        TorchRuntime.SetThreads(1);
        var root = _files.WriteCifarSet(perFile: 4);
        using var fromRoot = DatasetLoader.Load(new DataSource("cifar10", root));
        using var fromSub = DatasetLoader.Load(new DataSource("cifar10", Path.Combine(root, Cifar10Reader.FolderName)));

        Assert.Equal(20, fromRoot.TrainCount);
        Assert.Equal(4, fromRoot.TestCount);
        Assert.Equal(3072, fromRoot.Features);
        Assert.True(fromRoot.TrainX.equal(fromSub.TrainX).all().item<bool>());
        Assert.Equal([0L, 1, 2, 3, 1, 2, 3, 4], fromRoot.TrainY[..8].data<long>().ToArray());
        // record 1 of data_batch_1: pixel value 1 in red, 51 in green, 101 in blue
        var n = PixelNormalization.Cifar10;
        Assert.Equal((1 / 255f - n.Mean[0]) / n.Std[0], fromRoot.TrainX[1, 0].item<float>(), 4);
        Assert.Equal((51 / 255f - n.Mean[1]) / n.Std[1], fromRoot.TrainX[1, 1024].item<float>(), 4);
        Assert.Equal((101 / 255f - n.Mean[2]) / n.Std[2], fromRoot.TrainX[1, 3071].item<float>(), 4);
    }

    [Fact]
    public void Load_MissingBatch_SaysHowToDownload()
    {
        var root = _files.WriteCifarSet(perFile: 2);
        File.Delete(Path.Combine(root, Cifar10Reader.FolderName, "data_batch_3.bin"));
        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource("cifar10", root)));
        Assert.EndsWith("data_batch_3.bin", e.FilePath);
        Assert.Contains("./gradguess download cifar10", e.Problem);
    }

    [Fact]
    public void Check_ABatchWithALabelPastTheClasses_IsRefusedNamingFileAndRecord()
    {
        // Check reads no pixels, but a sweep it passes must not fail at every cell's load: the labels are read too.
        var root = _files.WriteCifarSet(perFile: 3);
        var batch = Path.Combine(root, Cifar10Reader.FolderName, "data_batch_4.bin");
        var bytes = File.ReadAllBytes(batch);
        bytes[2 * Cifar10Reader.RecordBytes] = 10;
        File.WriteAllBytes(batch, bytes);

        var e = Assert.Throws<DataFormatException>(() => DatasetLoader.Check(new DataSource("cifar10", root)));
        Assert.Equal(batch, e.FilePath);
        Assert.Contains("label 10 of record 2 is outside [0, 10)", e.Problem);
        Assert.Equal(3, Cifar10Reader.CheckFile(batch));   // its length alone passes
    }
}
