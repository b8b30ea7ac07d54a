using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using static GradGuessCluster.Tests.Shared.DataFixtures;

namespace GradGuessCluster.Training.Tests.Data;

public sealed class MnistIdxReaderTests : IDisposable
{
    private readonly DataFixtures _files = new();

    public void Dispose() => _files.Dispose();

    private DataFormatException Fails(Action read, string path, string problem)
    {
        var e = Assert.Throws<DataFormatException>(read);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Problem);
        return e;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadPair_ValidRawOrGzipped_ReturnsShapesAndBytes(bool gzip)
    {
        var images = Idx([3, 28, 28], Pixels(3));
        var labels = Idx([3], [9, 0, 4]);
        var ip = _files.Write("img", gzip ? Gzip(images) : images);
        var lp = _files.Write("lbl", gzip ? Gzip(labels) : labels);

        var (img, lbl) = MnistIdxReader.ReadPair(ip, lp);

        Assert.Equal([3, 28, 28], img.Shape);
        Assert.Equal(784, img.ItemSize);
        Assert.Equal(Pixels(3), img.Data);
        Assert.Equal([9, 0, 4], lbl.Data);
        Assert.Equal(3, MnistIdxReader.CheckPair(ip, lp).Images.Count);
    }

    [Theory]
    [InlineData(new[] { 60000, 0x1C000000, 0x1C000000 })]   // the product wrapped to a negative size: an OverflowException, no file named
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue })]
    [InlineData(new[] { 3, 0x10000, 0x10000 })]              // 12 GiB: more than one array holds
    public void Read_HeaderSizesPastAnArray_SaysSoNamingTheFile(int[] shape)
    {
        var path = _files.Write("img", Idx(shape, []));
        Fails(() => MnistIdxReader.ReadImages(path), path, "promise more data than an array holds");
        Fails(() => MnistIdxReader.Read(path), path, "promise more data than an array holds");
        Fails(() => MnistIdxReader.ReadHeader(path), path, "promise more data than an array holds");
    }

    [Fact]
    public void ReadLabels_OfAnImagesHeader_RefusesTheShapeBeforeReadingItsPayload()
    {
        // Only the header is there: a shape check after the read would report the missing payload instead.
        var path = _files.Write("lbl", Idx([60000, 28, 28], []));
        Fails(() => MnistIdxReader.ReadLabels(path), path, "expected labels of shape [N], found [60000, 28, 28]");
    }

    [Fact]
    public void CheckPair_LabelOutOfRange_IsFoundBeforeTraining()
    {
        var ip = _files.Write("img", Idx([3, 28, 28], Pixels(3)));
        var lp = _files.Write("lbl", Gzip(Idx([3], [9, 10, 4])));
        Fails(() => MnistIdxReader.CheckPair(ip, lp), lp, "label 10 at index 1 is outside [0, 10)");
    }

    /// <summary>A FIFO named as a data file is refused before it is opened: opening it to read would wait for a writer,
    /// for ever where none comes (a CIFAR-10 batch, read by its length, would have been called empty).</summary>
    [Fact]
    public void Read_AFifo_IsRefusedNamingIt_WithoutWaitingForAWriter()
    {
        var fifo = Path.Combine(_files.Dir, "img");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var read = Task.Run(() => MnistIdxReader.ReadHeader(fifo));
        if (!((IAsyncResult)read).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)))
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }   // lets the waiting read go
            Assert.Fail("the read waited for a writer to the FIFO");
        }
        Fails(() => read.GetAwaiter().GetResult(), fifo, "not a regular file (a FIFO, device or socket)");
        Fails(() => Cifar10Reader.CheckFile(fifo), fifo, "not a regular file");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TruncatedPayload_SaysTruncated(bool gzip)
    {
        var bytes = Idx([3, 28, 28], Pixels(3))[..^100];
        var path = _files.Write("img", gzip ? Gzip(bytes) : bytes);
        Fails(() => MnistIdxReader.ReadImages(path), path, "truncated");
        Fails(() => MnistIdxReader.ReadHeader(path), path, "truncated");
    }

    [Fact]
    public void Read_TruncatedGzipFile_SaysTruncatedOrCorrupt()
    {
        var gz = Gzip(Idx([3, 28, 28], Pixels(3)));
        var path = _files.Write("img.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => MnistIdxReader.ReadImages(path));
        Assert.Equal(path, e.FilePath);
        Assert.Matches("truncated|corrupt", e.Problem);
        Assert.Throws<DataFormatException>(() => MnistIdxReader.ReadHeader(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TrailingBytes_SaysUnexpectedBytes(bool gzip)
    {
        var bytes = Idx([3], [1, 2, 3]).Concat(new byte[] { 0, 0, 0, 0, 0 }).ToArray();
        var path = _files.Write("lbl", gzip ? Gzip(bytes) : bytes);
        Fails(() => MnistIdxReader.ReadLabels(path), path, "5 unexpected bytes");
        Fails(() => MnistIdxReader.ReadHeader(path), path, "5 unexpected bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_AHeaderPromisingGigabytesOfATinyFile_IsRefusedWithoutAllocatingThem(bool gzip)
    {
        var bytes = Idx([2_000_000_000], [1, 2, 3]);
        var path = _files.Write("lbl", gzip ? Gzip(bytes) : bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Fails(() => MnistIdxReader.ReadLabels(path), path, "but the file holds 3");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20,
            $"allocated {GC.GetAllocatedBytesForCurrentThread() - before} bytes for a file of {bytes.Length}");
    }

    [Fact]
    public void AFileOfTwoGzipMembers_PassesTheCheckAndReadsWhole()
    {
        // gzip -c a >x; gzip -c b >>x: the trailer then records only the second member's size.
        var images = Idx([3, 28, 28], Pixels(3));
        var path = _files.Write("img", [.. Gzip(images[..1000]), .. Gzip(images[1000..])]);
        var labels = _files.Write("lbl", Idx([3], [9, 0, 4]));

        Assert.Equal(new[] { 3, 28, 28 }, MnistIdxReader.CheckPair(path, labels).Images.Shape);
        Assert.Equal(images[16..], MnistIdxReader.ReadImages(path).Data);
        var cut = _files.Write("cut", [.. Gzip(images[..1000]), .. Gzip(images[1000..^5])]);
        Fails(() => MnistIdxReader.ReadHeader(cut), cut, $"but the file holds {images.Length - 5} uncompressed");
    }

    [Fact]
    public void Read_BadMagic_SaysNotAnIdxFile()
    {
        var bytes = Idx([3], [1, 2, 3]);
        bytes[0] = 0x12;
        var path = _files.Write("lbl", bytes);
        Fails(() => MnistIdxReader.ReadLabels(path), path, "not an IDX file");
    }

    [Fact]
    public void Read_FloatDataType_NamesTheType()
    {
        var path = _files.Write("lbl", Idx([3], new byte[12], type: 0x0D));
        Fails(() => MnistIdxReader.ReadLabels(path), path, "0x0D (float32)");
    }

    [Fact]
    public void ReadImages_WrongImageSize_NamesTheShape()
    {
        var path = _files.Write("img", Idx([2, 32, 32], new byte[2 * 32 * 32]));
        Fails(() => MnistIdxReader.ReadImages(path), path, "[2, 32, 32]");
    }

    [Fact]
    public void Read_ZeroDimension_IsRejected()
    {
        var path = _files.Write("lbl", Idx([0], []));
        Fails(() => MnistIdxReader.ReadLabels(path), path, "size 0");
    }

    [Fact]
    public void ReadPair_CountMismatch_NamesBothFiles()
    {
        var ip = _files.Write("img", Idx([3, 28, 28], Pixels(3)));
        var lp = _files.Write("lbl", Idx([2], [1, 2]));
        var e = Fails(() => MnistIdxReader.ReadPair(ip, lp), lp, "holds 2 labels");
        Assert.Contains(ip, e.Problem);
        Fails(() => MnistIdxReader.CheckPair(ip, lp), lp, "holds 2 labels");
    }

    [Fact]
    public void ReadLabels_LabelOutOfRange_NamesIndexAndValue()
    {
        var path = _files.Write("lbl", Idx([4], [1, 2, 10, 3]));
        Fails(() => MnistIdxReader.ReadLabels(path), path, "label 10 at index 2");
    }

    [Fact]
    public void Read_CorruptGzipStream_SaysCorruptGzip()
    {
        var gz = Gzip(Idx([3, 28, 28], Pixels(3)));
        for (int i = 20; i < 60; i++) gz[i] ^= 0x5A;   // damage the deflate data after the gzip header
        var path = _files.Write("img.gz", gz);
        Fails(() => MnistIdxReader.ReadImages(path), path, "corrupt gzip");
    }

    [Fact]
    public void Read_MissingFile_SaysNotFound()
    {
        var path = _files.PathOf("nothing-here");
        Fails(() => MnistIdxReader.ReadLabels(path), path, "not found");
    }
}
