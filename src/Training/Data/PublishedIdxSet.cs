using System.Security.Cryptography;
using GradGuessCluster.Training.Data.Download;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// MNIST's and Fashion-MNIST's files share names, headers and shapes, so a set named for one and read from a folder of
/// the other's would train with the other's pixel normalisation and put the wrong name on every result. The published
/// files are told apart by the MD5 of their train labels' content (the download catalog's figure; 60 KB to hash).
/// Files that are neither set's published ones (a subset, another IDX set) are taken as named.
/// </summary>
public static class PublishedIdxSet
{
    /// <summary>Throws <see cref="DataFormatException"/> when <paramref name="trainLabelsPath"/> is the other IDX set's
    /// published train labels file (gzipped or raw).</summary>
    public static void RequireNamed(string set, string trainLabelsPath)
    {
        var other = set switch { "mnist" => DownloadCatalog.FashionMnist, "fashion-mnist" => DownloadCatalog.Mnist, _ => null };
        if (other is null) return;
        var published = other.Files.Single(f => f.Name == DatasetLoader.TrainLabels + ".gz").ContentMd5;
        string md5;
        try
        {
            using var stream = DataFile.Open(trainLabelsPath, out _);
            md5 = DataFile.ReadWhole(trainLabelsPath, () => Convert.ToHexStringLower(MD5.HashData(stream)));
        }
        catch (InvalidDataException)
        {
            return;   // a damaged gzip stream: the full read says so, naming the file
        }
        if (md5 == published)
            throw new DataFormatException(trainLabelsPath,
                $"these are {other.Set}'s published files (the train labels' content MD5 is {other.Set}'s), not {set}'s: " +
                $"name the data set {other.Set}, or give a directory that holds {set}");
    }
}
