using System.Security.Cryptography;
using GradGuessCluster.Training.Data.Download;

namespace GradGuessCluster.Training.Data;

/// <summary>
/// MNIST's and Fashion-MNIST's files share names, headers and shapes, so a set named for one and read from a folder of
/// the other's would train with the other's pixel normalisation and put the wrong name on every result; and the other
/// set's t10k files beside the named set's train files would measure test accuracy on another set. The published files
/// are told apart by the MD5 of their labels' content (the download catalog's figures; 60 KB and 10 KB to hash).
/// Files that are neither set's published ones (a subset, another IDX set) are taken as named.
/// </summary>
public static class PublishedIdxSet
{
    /// <summary>Throws <see cref="DataFormatException"/> when <paramref name="labelsPath"/> is the other IDX set's
    /// published labels file (gzipped or raw) of the same name: <paramref name="labelsName"/> is
    /// <see cref="DatasetLoader.TrainLabels"/> or <see cref="DatasetLoader.TestLabels"/>.</summary>
    public static void RequireNamed(string set, string labelsPath, string labelsName = DatasetLoader.TrainLabels)
    {
        var other = set switch { "mnist" => DownloadCatalog.FashionMnist, "fashion-mnist" => DownloadCatalog.Mnist, _ => null };
        if (other is null) return;
        var published = other.Files.Single(f => f.Name == labelsName + ".gz").ContentMd5;
        string md5;
        try
        {
            using var stream = DataFile.Open(labelsPath, out _);
            md5 = DataFile.ReadWhole(labelsPath, () => Convert.ToHexStringLower(MD5.HashData(stream)));
        }
        catch (InvalidDataException)
        {
            return;   // a damaged gzip stream: the full read says so, naming the file
        }
        if (md5 != published) return;
        throw new DataFormatException(labelsPath, labelsName == DatasetLoader.TrainLabels
            ? $"these are {other.Set}'s published files (the train labels' content MD5 is {other.Set}'s), not {set}'s: " +
              $"name the data set {other.Set}, or give a directory that holds {set}"
            : $"these are {other.Set}'s published test labels (their content MD5 is {other.Set}'s), not {set}'s: " +
              $"test accuracy would be measured on another set; give a directory that holds {set}'s t10k files beside its train files");
    }
}
