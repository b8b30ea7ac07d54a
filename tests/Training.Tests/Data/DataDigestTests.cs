using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Tests.Support;
using static GradGuessCluster.Tests.Shared.DataFixtures;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>A data set's digest says whether two reads hold the same examples: checkpoints and sweeps refuse to go on
/// with data whose digest differs from the one they trained on.</summary>
public sealed class DataDigestTests : IDisposable
{
    private readonly DataFixtures _files = new();

    public DataDigestTests() => TinyNets.Init();

    public void Dispose() => _files.Dispose();

    private static string DigestOf(string set, string dir)
    {
        using var data = DatasetLoader.Load(new DataSource(set, dir));
        return Assert.IsType<string>(data.Digest);
    }

    [Fact]
    public void SameExamples_GzippedOrRawInAnotherDirectory_HaveOneDigest_AndOneChangedPixelOrLabelChangesIt()
    {
        var gz = _files.WriteIdxSet(train: 20, test: 8, gzip: true, sub: "gz");
        var raw = _files.WriteIdxSet(train: 20, test: 8, gzip: false, sub: "raw");
        var digest = DigestOf("mnist", gz);

        Assert.Matches("^[0-9a-f]{32}$", digest);
        Assert.Equal(digest, DigestOf("mnist", raw));
        // Another set name normalises the same bytes otherwise: it is other data to a model.
        Assert.NotEqual(digest, DigestOf("fashion-mnist", raw));

        var pixels = Path.Combine(raw, DatasetLoader.TestImages);
        var bytes = File.ReadAllBytes(pixels);
        bytes[^1] ^= 1;
        File.WriteAllBytes(pixels, bytes);
        var onePixel = DigestOf("mnist", raw);
        ChangeLastLabel(Path.Combine(raw, DatasetLoader.TrainLabels));
        var oneLabel = DigestOf("mnist", raw);

        Assert.Equal(3, new[] { digest, onePixel, oneLabel }.Distinct().Count());
    }

    [Fact]
    public void Cifar10_And_Synthetic_HaveDigests_ThatFollowWhatDefinesThem()
    {
        Assert.Matches("^[0-9a-f]{32}$", DigestOf("cifar10", _files.WriteCifarSet(perFile: 3)));

        string Synthetic(int seed)
        {
            using var data = SyntheticDataset.Create(new DataSource("synthetic", SyntheticTrain: 64, SyntheticTest: 16, SyntheticFeatures: 8, SyntheticSeed: seed));
            return Assert.IsType<string>(data.Digest);
        }
        Assert.Equal(Synthetic(1), Synthetic(1));
        Assert.NotEqual(Synthetic(1), Synthetic(2));
        // Its definition, not its floats (a matmul may round otherwise on another CPU): the same without generating it.
        Assert.Equal(Synthetic(1), SyntheticDataset.Digest(64, 16, 8, 1));
        Assert.NotEqual(SyntheticDataset.Digest(64, 16, 8, 1), SyntheticDataset.Digest(65, 16, 8, 1));
        using var inCode = TinyNets.Data(features: 4, train: 8, test: 4);
        Assert.Null(inCode.Digest);   // built in code, not read: nothing to compare
    }

    /// <summary>Every stored checkpoint and sweep keeps the digest of its data: a change to how it is computed makes
    /// them all refuse the data they trained on. This pins it for a set written byte by byte (no torch involved).</summary>
    [Fact]
    public void Digest_OfAFixedSet_IsStable()
    {
        Assert.Equal("8c61a746ace3fb988cfc6c27be486576", DigestOf("mnist", _files.WriteIdxSet(train: 20, test: 8, gzip: false)));
    }
}
