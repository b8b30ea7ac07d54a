using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Cells;

public sealed class UnstoredRecordsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gg-unstored-").FullName;
    private static readonly PackWork Work = new("s", "p1", TestSpecs.Small("s", [0.1], epochs: 5),
        [new PackCell("cell-a", new CellConfig("backprop", "sgd", 0.1, 0))]);

    private string PathOf(string name) => UnstoredRecords.PathFor(Path.Combine(_directory, name + ".ckpt"));

    private static EpochRecord Record(string cell, int epoch) =>
        new(cell, epoch, 1.5 / epoch, 0.5, null, 0.25, [0.1, 0.2], null, 1.0, 0.0, 2048, false);

    [Fact]
    public void Records_RoundTripThroughTheFile()
    {
        var path = PathOf("round");
        UnstoredRecords.Write(path, [Record("cell-a", 3), Record("cell-a", 4)]);
        var read = UnstoredRecords.Read(path, Work);
        Assert.Equal(2, read.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(Record("cell-a", 3 + i) with { LayerCosine = read[i].LayerCosine }, read[i]);
            Assert.Equal([0.1, 0.2], read[i].LayerCosine!);
        }
        Assert.Equal([path], Directory.GetFiles(_directory));   // no temporary file left behind
    }

    /// <summary>A diverged cell's last record holds a NaN loss and may hold infinite cosines, which JSON has no numbers for:
    /// before, writing them threw, and the pack failed at a checkpoint its coordinator could not store the records of.</summary>
    [Fact]
    public void ADivergedRecordsNonFiniteNumbers_RoundTripThroughTheFile()
    {
        var path = PathOf("diverged");
        var diverged = Record("cell-a", 3) with
        {
            TrainLoss = double.NaN, CosineSimilarity = double.PositiveInfinity, LayerCosine = [double.NegativeInfinity, double.NaN], Diverged = true,
        };
        UnstoredRecords.Write(path, [Record("cell-a", 2), diverged]);
        var read = UnstoredRecords.Read(path, Work);
        Assert.Equal(2, read.Count);
        Assert.True(double.IsNaN(read[1].TrainLoss) && read[1].Diverged);
        Assert.Equal(double.PositiveInfinity, read[1].CosineSimilarity);
        Assert.Equal(double.NegativeInfinity, read[1].LayerCosine![0]);
        Assert.True(double.IsNaN(read[1].LayerCosine![1]));
    }

    /// <summary>Records that are there but cannot be read are not "none": read as none, their epochs would be left out of
    /// the curve, and the next checkpoint would delete the file.</summary>
    [Fact]
    public void Read_AFileThatCannotBeRead_IsAnErrorNamingIt_NotNone()
    {
        var path = PathOf("loop");
        File.CreateSymbolicLink(path, path);   // ELOOP, which File.Exists reads as missing as it does EIO and EACCES
        var e = Assert.Throws<IOException>(() => UnstoredRecords.Read(path, Work));
        Assert.Contains(path, e.Message);
        Assert.Contains("cannot be read", e.Message);
    }

    [Fact]
    public void Read_WithoutAFile_IsEmpty() => Assert.Empty(UnstoredRecords.Read(PathOf("none"), Work));

    [Theory]
    [InlineData("[{\"CellId\":\"cell-a\",\"Epoch\":2", "do not parse")]
    [InlineData("null", "empty")]
    [InlineData("[{\"CellId\":\"other\",\"Epoch\":2,\"TrainLoss\":1,\"Seconds\":1,\"EvalSeconds\":0,\"Samples\":1,\"Diverged\":false}]", "not in pack p1")]
    [InlineData("[{\"CellId\":\"cell-a\",\"Epoch\":9,\"TrainLoss\":1,\"Seconds\":1,\"EvalSeconds\":0,\"Samples\":1,\"Diverged\":false}]", "outside 1..5")]
    public void Read_ABadFile_NamesTheFileAndTheProblemAndKeepsIt(string content, string problem)
    {
        var path = PathOf("bad");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => UnstoredRecords.Read(path, Work));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.True(File.Exists(path));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
