using System.Buffers.Binary;
using System.IO.Compression;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Tests.Shared;

/// <summary>Writes small IDX and CIFAR-10 files into a temporary directory (removed on dispose); linked into every test project.</summary>
internal sealed class DataFixtures : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("gg-data-").FullName;

    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>IDX bytes: magic 00 00 type ndims, big-endian dimension sizes, then the payload.</summary>
    public static byte[] Idx(int[] shape, byte[] payload, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * shape.Length + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        payload.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    /// <summary>Deterministic pixel bytes for n 28x28 images.</summary>
    public static byte[] Pixels(int n, int seed = 1)
    {
        var rng = new Random(seed);   // test data only; the product seeds torch generators
        var p = new byte[n * 28 * 28];
        rng.NextBytes(p);
        return p;
    }

    public static byte[] Labels(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 % 10)).ToArray();

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>Changes the last label of a raw IDX labels file: the files still pass every check, and hold other data.
    /// Returns the bytes written.</summary>
    public static byte[] ChangeLastLabel(string labelsPath)
    {
        var bytes = File.ReadAllBytes(labelsPath);
        bytes[^1] = (byte)((bytes[^1] + 1) % 10);
        File.WriteAllBytes(labelsPath, bytes);
        return bytes;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The four files of a small MNIST-style set (gzipped or raw) in <paramref name="sub"/>.</summary>
    public string WriteIdxSet(int train, int test, bool gzip = true, string sub = "idx")
    {
        byte[] Maybe(byte[] b) => gzip ? Gzip(b) : b;
        string ext = gzip ? ".gz" : "";
        Write($"{sub}/{DatasetLoader.TrainImages}{ext}", Maybe(Idx([train, 28, 28], Pixels(train, 1))));
        Write($"{sub}/{DatasetLoader.TrainLabels}{ext}", Maybe(Idx([train], Labels(train))));
        Write($"{sub}/{DatasetLoader.TestImages}{ext}", Maybe(Idx([test, 28, 28], Pixels(test, 2))));
        Write($"{sub}/{DatasetLoader.TestLabels}{ext}", Maybe(Idx([test], Labels(test))));
        return PathOf(sub);
    }

    /// <summary>CIFAR-10 records: label byte, then 3072 pixel bytes where channel c of record r holds (r + 50c) mod 256.</summary>
    public static byte[] CifarRecords(int n, int labelOffset = 0)
    {
        var bytes = new byte[n * Cifar10Reader.RecordBytes];
        for (int r = 0; r < n; r++)
        {
            int at = r * Cifar10Reader.RecordBytes;
            bytes[at] = (byte)((r + labelOffset) % 10);
            for (int c = 0; c < 3; c++)
                bytes.AsSpan(at + 1 + c * 1024, 1024).Fill((byte)((r + 50 * c) % 256));
        }
        return bytes;
    }

    /// <summary>A small CIFAR-10 binary set (records per file) under DIR/sub/cifar-10-batches-bin.</summary>
    public string WriteCifarSet(int perFile, string sub = "cifar")
    {
        foreach (var (name, i) in Cifar10Reader.TrainFiles.Select((n, i) => (n, i)))
            Write($"{sub}/{Cifar10Reader.FolderName}/{name}", CifarRecords(perFile, i));
        Write($"{sub}/{Cifar10Reader.FolderName}/{Cifar10Reader.TestFile}", CifarRecords(perFile, 5));
        return PathOf(sub);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
