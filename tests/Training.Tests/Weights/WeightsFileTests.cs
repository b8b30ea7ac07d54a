using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GradGuessCluster.Training.Weights;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Tests.Shared;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Weights;

/// <summary>The weights files as their formats' readers see them: safetensors read back byte by byte, npz as a zip of
/// format-1.0 .npy files; and a cell's arrays named and cut as PyTorch's Sequential of Linear layers keeps them.</summary>
public sealed class WeightsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly NamedArray[] Arrays =
    [
        new("0.weight", [2, 3], [1f, 2f, 3f, 4f, 5f, 6f]),
        new("0.bias", [2], [-0.5f, float.Epsilon]),
        new("scalar", [], [7f]),
    ];

    private static readonly Dictionary<string, string> Metadata = new() { ["method"] = "wt", ["note"] = "3 × 128, \"quoted\", ü" };

    private string Write(string name, Action<Stream> write)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path)) write(file);
        return path;
    }

    [Fact]
    public void Safetensors_ReadsBack_TensorByTensor_WithItsMetadata_AndAnAlignedHeader()
    {
        var path = Write("a.safetensors", s => SafetensorsFile.Write(s, Arrays, Metadata));

        var read = SafetensorsContent.Read(path);

        Assert.Equal(0, read.HeaderLength % 8);
        Assert.Equal(Metadata, read.Metadata);
        Assert.Equal(Arrays.Select(a => a.Name), read.Tensors.Select(t => t.Name));
        foreach (var (a, t) in Arrays.Zip(read.Tensors))
        {
            Assert.Equal(a.Shape, t.Shape);
            Assert.Equal(a.Values, t.Values);
        }
    }

    [Fact]
    public void Npz_IsAZipOfNpyFiles_ValuesAt64ByteAlignedOffsets_MetadataAUnicodeScalarOfJson()
    {
        var path = Write("a.npz", s => NpzFile.Write(s, Arrays, Metadata));

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["0.weight.npy", "0.bias.npy", "scalar.npy", "metadata.npy"], zip.Entries.Select(e => e.FullName));
        foreach (var a in Arrays)
        {
            var (header, data) = Npy(zip.GetEntry(a.Name + ".npy")!);
            var dims = a.Shape.Length == 0 ? "()" : a.Shape.Length == 1 ? $"({a.Shape[0]},)" : $"({string.Join(", ", a.Shape)})";
            Assert.Equal($"{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}", header.TrimEnd());
            Assert.Equal(a.Values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray());
        }
        var (metaHeader, metaData) = Npy(zip.GetEntry("metadata.npy")!);
        var json = new UTF32Encoding(bigEndian: false, byteOrderMark: false).GetString(metaData);
        Assert.Contains($"'descr': '<U{json.EnumerateRunes().Count()}'", metaHeader);
        Assert.Equal(Metadata, JsonSerializer.Deserialize<Dictionary<string, string>>(json));
    }

    /// <summary>An .npy entry's header text and data, checked as NumPy's reader checks them.</summary>
    private static (string Header, byte[] Data) Npy(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal((1, 0), (bytes[6], bytes[7]));
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + length) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.EndsWith("\n", header);
        return (header, bytes[(10 + length)..]);
    }

    [Fact]
    public void BadArrays_AreRefused_BeforeAByteIsWritten()
    {
        NamedArray[][] bad =
        [
            [new("a", [2], [1f])],                                       // the shape holds 2, one given
            [new("a", [1], [1f]), new("a", [1], [2f])],                  // a name twice
            [new("__metadata__", [1], [1f])],                            // the format's own key
            [new("a/b", [1], [1f])],                                     // not a name a zip entry takes as one file
        ];
        foreach (var arrays in bad)
        {
            using var s = new MemoryStream();
            Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(s, arrays, Metadata));
            Assert.Throws<ArgumentException>(() => NpzFile.Write(s, arrays, Metadata));
            Assert.Equal(0, s.Length);
        }
        using var m = new MemoryStream();
        Assert.Throws<ArgumentException>(() => NpzFile.Write(m, [new("metadata", [1], [1f])], Metadata));
    }

    [Fact]
    public void ACellsArrays_AreItsLayersWeightsAndBiases_NamedAsTorchSequentialModules()
    {
        var shape = new MlpShape(Inputs: 5, Width: 4, Depth: 2, Classes: 3);
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var pack = new LayeredTensor(shape, randn(2, shape.ParameterCount));
        var row = pack.Flat[1].data<float>().ToArray();

        var arrays = MlpWeights.Of(shape, row);

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], arrays.Select(a => a.Name));
        for (int i = 0; i < shape.Layers; i++)
        {
            var w = arrays[2 * i];
            Assert.Equal(new long[] { shape.OutSize(i), shape.InSize(i) }, w.Shape);
            Assert.Equal(pack.W(i)[1].contiguous().data<float>().ToArray(), w.Values);
            Assert.Equal(pack.B(i)[1].contiguous().data<float>().ToArray(), arrays[2 * i + 1].Values);
        }
        Assert.Equal("torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))",
            MlpWeights.Architecture(shape));
        Assert.Throws<ArgumentException>(() => MlpWeights.Of(shape, row.AsSpan(1)));
    }

    [Theory]
    [InlineData(784, 128, 3)]
    [InlineData(3072, 1024, 1)]
    [InlineData(1, 2, 4)]
    public void AShape_IsFoundFromItsParameterCount(int inputs, int width, int depth)
    {
        var shape = new MlpShape(inputs, width, depth, 10);
        Assert.Equal(shape, MlpWeights.ShapeOf(shape.ParameterCount, width, depth, 10));
        Assert.Null(MlpWeights.ShapeOf(shape.ParameterCount + 1, width, depth, 10));   // no input size makes one more
        Assert.Null(MlpWeights.ShapeOf(shape.ParameterCount - (long)inputs * width, width, depth, 10));   // none makes zero inputs
    }
}
