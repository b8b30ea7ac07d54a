namespace GradGuessCluster.Training.Data.Download;

/// <summary>
/// The official sources and checksums of the downloadable sets. MNIST: torchvision's mirror first (the original
/// site now often refuses automated downloads), yann.lecun.com second; both serve byte-identical files.
/// File MD5s are the well-known published ones; content MD5s are those of the uncompressed IDX files
/// (Fashion-MNIST's checked against the Debian package by the tests).
/// </summary>
public static class DownloadCatalog
{
    public static RemoteDataset Mnist { get; } = new("mnist",
        [new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"), new Uri("http://yann.lecun.com/exdb/mnist/")],
        [
            new("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "6bbc9ace898e44ae57da46a324031adb"),
            new("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", "a25bea736e30d166cdddb491f175f624"),
            new("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "2646ac647ad5339dbf082846283269ea"),
            new("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", "27ae3e4e09519cfbb04c329615203637"),
        ]);

    public static RemoteDataset FashionMnist { get; } = new("fashion-mnist",
        [new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        [
            new("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
            new("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9"),
            new("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a"),
            new("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965"),
        ]);

    /// <summary>The binary version (the one <see cref="Cifar10Reader"/> reads), unpacked to cifar-10-batches-bin/.</summary>
    public static RemoteDataset Cifar10 { get; } = new("cifar10",
        [new Uri("https://www.cs.toronto.edu/~kriz/")],
        [new("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", Extract: true)]);

    public static IReadOnlyList<string> Sets { get; } = ["mnist", "fashion-mnist", "cifar10"];

    /// <summary>The catalog entry of a set; <see cref="ArgumentException"/> listing the downloadable ones otherwise.</summary>
    public static RemoteDataset For(string set) => set switch
    {
        "mnist" => Mnist,
        "fashion-mnist" => FashionMnist,
        "cifar10" => Cifar10,
        _ => throw new ArgumentException($"'{set}' cannot be downloaded (downloadable: {string.Join(", ", Sets)})", nameof(set)),
    };
}
