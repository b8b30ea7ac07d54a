using static TorchSharp.torch;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// Loads a <see cref="DataSource"/> into a <see cref="Dataset"/> (10 classes, normalised float32 features
/// [N, F], int64 labels), and checks cheaply that a source is loadable before a sweep starts. A loaded data set
/// belongs to the caller, who disposes it; for one shared copy per process use <see cref="DatasetCache"/>.
/// </summary>
public static class DatasetLoader
{
    public const int Classes = 10;

    /// <summary>The IDX file names of MNIST and Fashion-MNIST (each found as NAME.gz or NAME).</summary>
    public const string TrainImages = "train-images-idx3-ubyte", TrainLabels = "train-labels-idx1-ubyte",
        TestImages = "t10k-images-idx3-ubyte", TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Loads the set on <paramref name="device"/> (CPU when null). Bad files throw
    /// <see cref="DataFormatException"/>; an unknown set or bad synthetic parameters, <see cref="ArgumentException"/>.</summary>
    public static Dataset Load(DataSource source, Device? device = null)
    {
        DataLocations.RequireKnown(source.Set);
        var dir = DataLocations.DirectoryOf(source);
        return source.Set switch
        {
            "synthetic" => SyntheticDataset.Create(source, device),
            "cifar10" => LoadCifar10(dir, device),
            _ => LoadIdx(source.Set, dir, PixelNormalization.For(source.Set)!, device),
        };
    }

    /// <summary>
    /// Verifies, without loading everything, that <see cref="Load"/> will find sane files: every file exists,
    /// IDX headers (magic, shapes, image/label counts) and lengths are right, CIFAR batches are whole records, and every
    /// label is a class.
    /// Throws what <see cref="Load"/> would throw for missing or malformed files; returns the sizes the headers give.
    /// </summary>
    public static DataShape Check(DataSource source)
    {
        DataLocations.RequireKnown(source.Set);
        var dir = DataLocations.DirectoryOf(source);
        switch (source.Set)
        {
            case "synthetic":
                SyntheticDataset.Validate(source.SyntheticTrain, source.SyntheticTest, source.SyntheticFeatures);
                return new DataShape(source.SyntheticTrain, source.SyntheticTest, source.SyntheticFeatures, SyntheticDataset.Classes);
            case "cifar10":
                long CountRecords(bool train) => Cifar10Paths(dir, train).Sum(path => (long)Cifar10Reader.CheckFileAndLabels(path));
                return new DataShape(CountRecords(train: true), CountRecords(train: false), Cifar10Reader.ImageBytes, Classes);
            default:
                var trainLabels = IdxPath(source.Set, dir, TrainLabels);
                var train = MnistIdxReader.CheckPair(IdxPath(source.Set, dir, TrainImages), trainLabels);
                PublishedIdxSet.RequireNamed(source.Set, trainLabels);
                var testLabels = IdxPath(source.Set, dir, TestLabels);
                var test = MnistIdxReader.CheckPair(IdxPath(source.Set, dir, TestImages), testLabels);   // CheckPair holds both to 28 × 28
                PublishedIdxSet.RequireNamed(source.Set, testLabels, TestLabels);
                return new DataShape(train.Images.Count, test.Images.Count, (int)train.Images.ItemSize, Classes);
        }
    }

    /// <summary>The files <see cref="Load"/> reads for a set kept in files (none for the synthetic set); a missing one
    /// throws <see cref="DataFormatException"/> as <see cref="Load"/> would.</summary>
    public static IReadOnlyList<string> FilesOf(DataSource source)
    {
        DataLocations.RequireKnown(source.Set);
        var dir = DataLocations.DirectoryOf(source);
        return source.Set switch
        {
            "synthetic" => [],
            "cifar10" => [.. Cifar10Paths(dir, train: true), .. Cifar10Paths(dir, train: false)],
            _ => [.. new[] { TrainImages, TrainLabels, TestImages, TestLabels }.Select(name => IdxPath(source.Set, dir, name))],
        };
    }

    /// <summary>The path of one IDX file in <paramref name="directory"/>: NAME.gz, else NAME; a missing file
    /// throws <see cref="DataFormatException"/> saying how to get the set, a directory of either name that it is one.</summary>
    public static string IdxPath(string set, string directory, string name)
    {
        var gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz)) return gz;
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw)) return raw;
        var named = Directory.Exists(gz) || !Directory.Exists(raw) ? gz : raw;   // a directory where a file should be, else the .gz
        return FoundSince(named, $"missing (nor is there an uncompressed {name}); {DataLocations.HowToGet(set)}");
    }

    /// <summary><paramref name="path"/>, not found a moment ago, where it is a file now (a concurrent
    /// <c>gradguess download</c> renamed it into place); else throws why not.</summary>
    internal static string FoundSince(string path, string missing) =>
        DataFile.NotAFile(path, missing) is { } notAFile ? throw notAFile : path;

    /// <summary>The batch files of one CIFAR-10 split; a missing file throws <see cref="DataFormatException"/>
    /// saying how to get the set.</summary>
    public static IReadOnlyList<string> Cifar10Paths(string directory, bool train)
    {
        var dir = Cifar10Reader.ResolveDirectory(directory);
        var names = train ? Cifar10Reader.TrainFiles : [Cifar10Reader.TestFile];
        var paths = names.Select(n => Path.Combine(dir, n)).ToArray();
        foreach (var p in paths)
            if (DataFile.NotAFile(p, $"missing; {DataLocations.HowToGet("cifar10")}") is { } missing)
                throw missing;
        return paths;
    }

    private static Dataset LoadIdx(string set, string dir, PixelNormalization norm, Device? device)
    {
        var trainLabels = IdxPath(set, dir, TrainLabels);
        var train = MnistIdxReader.ReadPair(IdxPath(set, dir, TrainImages), trainLabels, Classes);
        PublishedIdxSet.RequireNamed(set, trainLabels);
        var testLabels = IdxPath(set, dir, TestLabels);
        var test = MnistIdxReader.ReadPair(IdxPath(set, dir, TestImages), testLabels, Classes);
        PublishedIdxSet.RequireNamed(set, testLabels, TestLabels);
        return Build(set, norm,
            (train.Images.Data, train.Labels.Data, train.Images.Count, (int)train.Images.ItemSize),
            (test.Images.Data, test.Labels.Data, test.Images.Count, (int)test.Images.ItemSize), device);
    }

    private static Dataset LoadCifar10(string dir, Device? device)
    {
        var train = Cifar10Reader.Read(Cifar10Paths(dir, train: true));
        var test = Cifar10Reader.Read(Cifar10Paths(dir, train: false));
        return Build("cifar10", PixelNormalization.Cifar10,
            (train.Pixels, train.Labels, train.Labels.Length, Cifar10Reader.ImageBytes),
            (test.Pixels, test.Labels, test.Labels.Length, Cifar10Reader.ImageBytes), device);
    }

    private static Dataset Build(string name, PixelNormalization norm,
        (byte[] Pixels, byte[] Labels, int Count, int Features) train,
        (byte[] Pixels, byte[] Labels, int Count, int Features) test, Device? device)
    {
        using var scope = NewDisposeScope();
        var target = device ?? CPU;
        using var digest = new DataDigest(name).Add("train-x", train.Count, train.Pixels).Add("train-y", train.Count, train.Labels)
            .Add("test-x", test.Count, test.Pixels).Add("test-y", test.Count, test.Labels);
        var trainX = norm.Apply(train.Pixels, train.Count, train.Features);
        var testX = norm.Apply(test.Pixels, test.Count, test.Features);
        var trainY = tensor(train.Labels).to_type(ScalarType.Int64);
        var testY = tensor(test.Labels).to_type(ScalarType.Int64);
        return new Dataset(name, trainX.to(target), trainY.to(target), testX.to(target), testY.to(target), Classes, digest.Finish());
    }
}
