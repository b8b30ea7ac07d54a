using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>Interim loader (synthetic and Fashion-MNIST only) until the full data module lands.</summary>
public static class DatasetLoader
{
    public static Dataset Load(DataSource source, Device? device = null)
    {
        var dev = device ?? CPU;
        return source.Set switch
        {
            "synthetic" => Synthetic(source).To(dev),
            "fashion-mnist" => Idx(source.Directory ?? "/usr/share/datasets/fashion-mnist", 0.2860, 0.3530).To(dev),
            _ => throw new ArgumentException($"data set '{source.Set}' not supported yet"),
        };
    }

    private static Dataset Synthetic(DataSource s)
    {
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)s.SyntheticSeed, CPU);
        var teacher = randn([s.SyntheticFeatures, 10], generator: gen);
        var xTrain = randn([s.SyntheticTrain, s.SyntheticFeatures], generator: gen);
        var xTest = randn([s.SyntheticTest, s.SyntheticFeatures], generator: gen);
        return new Dataset("synthetic", xTrain, xTrain.mm(teacher).argmax(1), xTest, xTest.mm(teacher).argmax(1), 10);
    }

    private static Dataset Idx(string dir, double mean, double std)
    {
        using var scope = NewDisposeScope();
        Tensor Images(string f) { var (shape, data) = Read(Path.Combine(dir, f)); return tensor(data, [shape[0], shape[1] * shape[2]]).to_type(ScalarType.Float32).div_(255).sub_(mean).div_(std); }
        Tensor Labels(string f) => tensor(Read(Path.Combine(dir, f)).Data).to_type(ScalarType.Int64);
        return new Dataset("fashion-mnist", Images("train-images-idx3-ubyte.gz"), Labels("train-labels-idx1-ubyte.gz"),
            Images("t10k-images-idx3-ubyte.gz"), Labels("t10k-labels-idx1-ubyte.gz"), 10);
    }

    private static (int[] Shape, byte[] Data) Read(string path)
    {
        using var file = File.OpenRead(path);
        using var s = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> head = stackalloc byte[4];
        s.ReadExactly(head);
        var shape = new int[head[3]];
        for (int i = 0; i < shape.Length; i++) { s.ReadExactly(head); shape[i] = BinaryPrimitives.ReadInt32BigEndian(head); }
        var data = new byte[shape.Aggregate(1L, (a, b) => a * b)];
        s.ReadExactly(data);
        return (shape, data);
    }
}
