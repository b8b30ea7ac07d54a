using GradGuessCluster.Tests.Shared;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Training.Tests.Data;

/// <summary>
/// Seeded random damage to small valid data files (IDX raw and gzipped, CIFAR-10 binary): flipped bytes, truncation,
/// bytes appended or cut from the middle. A damaged file either still reads, with the shape its header promises, or is
/// refused with a <see cref="DataFormatException"/> naming it; never another exception, never a hang.
/// </summary>
public sealed class DataFileFuzzTests : IDisposable
{
    private const int Mutants = 400;
    private readonly DataFixtures _files = new();

    public static TheoryData<string> Kinds() => ["images", "labels", "images.gz", "labels.gz", "cifar"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DamagedFile_ReadsWhole_OrIsRefusedNamingIt(string kind)
    {
        var original = kind switch
        {
            "images" => DataFixtures.Idx([6, 28, 28], DataFixtures.Pixels(6)),
            "labels" => DataFixtures.Idx([40], DataFixtures.Labels(40)),
            "images.gz" => DataFixtures.Gzip(DataFixtures.Idx([6, 28, 28], DataFixtures.Pixels(6))),
            "labels.gz" => DataFixtures.Gzip(DataFixtures.Idx([40], DataFixtures.Labels(40))),
            _ => DataFixtures.CifarRecords(3),
        };
        var random = new Random(kind.Aggregate(0xDA7A, (h, c) => h * 31 + c));
        int read = 0, refused = 0;
        for (int i = 0; i < Mutants; i++)
        {
            var bytes = original;
            for (int m = random.Next(1, 4); m > 0; m--) bytes = Damage(bytes, random);
            var path = _files.Write($"{kind.Replace('.', '-')}-{i}{(kind.EndsWith(".gz", StringComparison.Ordinal) ? ".gz" : "")}", bytes);
            try
            {
                int count = ReadAll(kind, path);
                Assert.True(count > 0, $"mutant {i} of {kind} read as empty");
                read++;
            }
            catch (DataFormatException e)
            {
                Assert.Equal(path, e.FilePath);
                Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutant {i} of {kind} ({bytes.Length} bytes, {Convert.ToHexString(bytes.AsSpan(0, Math.Min(24, bytes.Length)))}…) threw {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(read > 0 && refused > 0, $"{kind}: {read} read, {refused} refused");
    }

    /// <summary>Reads the file as the loader would; returns how many examples it holds.</summary>
    private static int ReadAll(string kind, string path)
    {
        if (kind == "cifar") return Cifar10Reader.Read([path]).Labels.Length;
        var header = MnistIdxReader.ReadHeader(path);
        var array = kind.StartsWith("images", StringComparison.Ordinal) ? MnistIdxReader.ReadImages(path) : MnistIdxReader.ReadLabels(path);
        Assert.Equal(header.Shape, array.Shape);
        Assert.Equal(array.PayloadBytes, array.Data.Length);
        return array.Count;
    }

    private static byte[] Damage(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return [(byte)random.Next(256)];
        var list = bytes.ToList();
        int at = random.Next(bytes.Length);
        // Most of a file is payload; aim half of the flips at the first 24 bytes, where the header and gzip's live.
        int head = Math.Min(24, bytes.Length);
        switch (random.Next(5))
        {
            case 0: list[random.Next(head)] ^= (byte)(1 << random.Next(8)); break;
            case 1: list[at] = (byte)random.Next(256); break;
            case 2: list.RemoveRange(at, list.Count - at); break;
            case 3: list.AddRange(Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256))); break;
            default: list.RemoveRange(at, Math.Min(random.Next(1, 9), list.Count - at)); break;
        }
        return [.. list];
    }

    public void Dispose() => _files.Dispose();
}
