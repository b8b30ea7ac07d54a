using System.IO.Compression;
using System.Text;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Optim;
using GradGuessCluster.Training.Tests.Support;
using GradGuessCluster.Training.Weights;
using static TorchSharp.torch;

namespace GradGuessCluster.Training.Tests.Weights;

/// <summary>Starting weights from a file: both formats read back to the weights written, a trainer's every cell starts
/// from them, the file's digest (not its path) is in the fingerprint, and what is not this model's weights is refused with
/// the file and the problem named.</summary>
public sealed class InitialWeightsTests : IDisposable
{
    private static readonly MlpShape Shape = new(Inputs: 12, Width: 16, Depth: 2, Classes: 10);
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[] Row(long seed)
    {
        using var scope = NewDisposeScope();
        return WeightInit.Pack(Shape, [seed], CPU)[0].data<float>().ToArray();
    }

    private string Write(string name, IReadOnlyList<NamedArray> arrays)
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        if (name.EndsWith(".npz", StringComparison.Ordinal)) NpzFile.Write(file, arrays, new Dictionary<string, string> { ["method"] = "wt" });
        else SafetensorsFile.Write(file, arrays, new Dictionary<string, string> { ["method"] = "wt" });
        return path;
    }

    private static PackSpec Pack(string? init, double? scale = null) => new(new DataSource("synthetic", SyntheticFeatures: 12), Depth: 2, Width: 16,
        new EstimatorSettings(EstimatorKind.WTranspose), BatchSize: 64, Epochs: 1, DataSeed: 5,
        [new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-3), 1), new CellSettings(OptimizerSettings.Default(OptimizerKind.AdamW, 1e-2), 2)],
        InitScale: scale, InitFrom: init, InitDigest: init is null ? null : InitialWeights.Digest(init));

    [Theory]
    [InlineData("w.safetensors")]
    [InlineData("w.npz")]
    public void AWrittenFile_ReadsBack_ToTheWeightsWritten_WithItsMetadata(string name)
    {
        TinyNets.Init();
        var row = Row(7);
        var path = Write(name, MlpWeights.Of(Shape, row));

        var content = WeightsFileReader.Read(path);

        Assert.Equal(row, InitialWeights.Flat(path, content.Arrays, Shape));
        Assert.Equal("wt", content.Metadata["method"]);
    }

    [Fact]
    public void ATrainer_StartsEveryCellFromTheFile_AndTrainsOnFromIt()
    {
        TinyNets.Init();
        var row = Row(7);
        var path = Write("w.safetensors", MlpWeights.Of(Shape, row));
        var data = TinyNets.Data(features: 12, train: 256, test: 64);

        using var trainer = new PackTrainer(Pack(path), data, CPU);

        for (int p = 0; p < 2; p++) Assert.Equal(row, trainer.Model.Parameters.Flat[p].data<float>().ToArray());
        trainer.RunEpoch(CancellationToken.None);
        Assert.NotEqual(row, trainer.Model.Parameters.Flat[0].data<float>().ToArray());
    }

    [Fact]
    public void TheFilesDigest_IsInTheFingerprint_ItsPathIsNot_AndAChangedFileIsRefused()
    {
        TinyNets.Init();
        var a = Write("a.safetensors", MlpWeights.Of(Shape, Row(7)));
        var copy = Path.Combine(_dir, "copy.safetensors");
        File.Copy(a, copy);
        var b = Write("b.safetensors", MlpWeights.Of(Shape, Row(8)));

        Assert.Equal(PackFingerprint.Of(Pack(a)), PackFingerprint.Of(Pack(copy)));
        Assert.NotEqual(PackFingerprint.Of(Pack(a)), PackFingerprint.Of(Pack(b)));
        Assert.NotEqual(PackFingerprint.Of(Pack(null)), PackFingerprint.Of(Pack(a)));
        Assert.DoesNotContain("InitDigest", PackFingerprint.Configuration(Pack(null)));   // older packs hash as before
        Assert.Equal(Pack(a).InitDigest, PackFingerprint.Read(PackFingerprint.Configuration(Pack(a)), 1).InitDigest);

        var spec = Pack(copy);
        File.Copy(b, copy, overwrite: true);
        var e = Assert.Throws<DataChangedException>(() => new PackTrainer(spec, TinyNets.Data(features: 12, train: 256, test: 64), CPU));
        Assert.Contains($"{copy} has changed since this run started from it", e.Message);
        Assert.Throws<InvalidSettingException>(() => PackSpecChecks.Validate(Pack(a, scale: 0.5)));
    }

    [Fact]
    public void WhatIsNotThisModelsWeights_IsRefused_NamingTheFileAndTheProblem()
    {
        TinyNets.Init();
        var arrays = MlpWeights.Of(Shape, Row(7));
        var good = Write("good.safetensors", arrays);
        var bytes = File.ReadAllBytes(good);
        var header = (int)BitConverter.ToUInt64(bytes);
        string Raw(string name, byte[] content) { var p = Path.Combine(_dir, name); File.WriteAllBytes(p, content); return p; }
        string F16() => Raw("f16.safetensors", [.. bytes[..8], .. Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes, 8, header).Replace("\"F32\"", "\"F16\"")), .. bytes[(8 + header)..]]);
        var nan = arrays.Select(a => a.Name == "2.weight" ? a with { Values = [.. a.Values[..^1], float.NaN] } : a).ToList();

        foreach (var (path, problem) in new (string, string)[]
        {
            (Raw("cut.safetensors", bytes[..^40]), "outside the file"),
            (Raw("short.safetensors", bytes[..5]), "too short for a safetensors or npz file"),
            (Raw("text.safetensors", "hello, this is not weights at all"u8.ToArray()), "not a safetensors file, or a truncated one"),
            (Raw("json.safetensors", [.. BitConverter.GetBytes(5UL), .. "{nope"u8.ToArray()]), "its safetensors header is not one"),
            (F16(), "is F16; only F32 (float32) is read"),
            (Raw("zip.npz", [(byte)'P', (byte)'K', 3, 4, 0, 0, 0]), "not a readable npz"),
            (Write("missing.safetensors", arrays.Where(a => a.Name != "2.weight").ToList()), "it has no '2.weight'"),
            (Write("extra.npz", [.. arrays, new NamedArray("6.weight", [1], [1f])]), "it holds '6.weight', which no layer of a 2 × 16 MLP"),
            (Write("narrow.safetensors", MlpWeights.Of(Shape with { Width = 8 }, new float[(Shape with { Width = 8 }).ParameterCount])), "'0.weight' is [8, 12], and a 2 × 16 MLP on 12 inputs and 10 classes needs [16, 12]"),
            (Write("nan.npz", nan), "'2.weight' holds values that are not finite"),
            (Path.Combine(_dir, "absent.safetensors"), "cannot be read"),
        })
        {
            var e = Assert.Throws<DataFormatException>(() => InitialWeights.Flat(path, WeightsFileReader.Read(path).Arrays, Shape));
            Assert.Equal(path, e.FilePath);
            Assert.Contains(problem, e.Message);
        }
    }

    [Fact]
    public void AnNpzOfOtherDtypesOrFortranOrder_IsRefused()
    {
        foreach (var (descr, fortran, problem) in new[] { ("<f8", "False", "is <f8; only float32"), ("<f4", "True", "is in Fortran order") })
        {
            var path = Path.Combine(_dir, $"{descr[1..]}-{fortran}.npz");
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            using (var entry = zip.CreateEntry("0.weight.npy").Open())
            {
                var text = $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': (2,), }}".PadRight(117) + "\n";
                entry.Write([0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)text.Length, 0, .. Encoding.ASCII.GetBytes(text), .. new byte[16]]);
            }
            var e = Assert.Throws<DataFormatException>(() => WeightsFileReader.Read(path));
            Assert.Contains(problem, e.Message);
        }
    }
}
