namespace GradGuessCluster.Training.Data;

/// <summary>
/// Where each data set lives by default and how a user gets it when it is missing. Fashion-MNIST reads the
/// Debian package's directory (SPEC §5); MNIST and CIFAR-10 (and Fashion-MNIST on machines without the package)
/// live in the per-user cache, where <c>gradguess download</c> puts them.
/// </summary>
public static class DataLocations
{
    /// <summary>Installed by the Debian package <c>dataset-fashion-mnist</c>.</summary>
    public const string FashionMnistPackageDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The directory a <see cref="DataSource"/> reads: its own, or the set's default.</summary>
    public static string DirectoryOf(DataSource source) =>
        string.IsNullOrEmpty(source.Directory) ? DefaultDirectory(source.Set) : source.Directory;

    /// <summary>Where a source's data is read, for messages: the set and its full directory, or that it is generated.</summary>
    public static string Describe(DataSource source) =>
        source.Set == SyntheticDataset.Name ? "the synthetic set generated here" : $"{source.Set} in {Path.GetFullPath(DirectoryOf(source))}";

    /// <summary>
    /// The default directory of a set. Fashion-MNIST: the Debian package's directory, unless only the download
    /// cache holds it. Others: <see cref="CacheDirectory"/>. Synthetic data has no directory (empty string).
    /// </summary>
    public static string DefaultDirectory(string set)
    {
        RequireKnown(set);
        if (set == "synthetic") return "";
        if (set == "fashion-mnist")
        {
            var cache = CacheDirectory(set);
            return !Directory.Exists(FashionMnistPackageDirectory) && Directory.Exists(cache) ? cache : FashionMnistPackageDirectory;
        }
        return CacheDirectory(set);
    }

    /// <summary><c>$XDG_CACHE_HOME/gradguess/SET</c>, or <c>~/.cache/gradguess/SET</c>: where downloads go by default.</summary>
    public static string CacheDirectory(string set)
    {
        RequireKnown(set);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = Path.IsPathRooted(xdg)      // the XDG spec says to ignore relative values
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "gradguess", set);
    }

    /// <summary>One sentence on how to get a set's files (used in "missing file" errors).</summary>
    public static string HowToGet(string set) => set switch
    {
        "fashion-mnist" => "install the Debian package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist) "
            + "or run ./gradguess download fashion-mnist, or point --data-dir at a directory holding the four IDX files",
        "mnist" => "run ./gradguess download mnist, or point --data-dir at a directory holding the four IDX files",
        "cifar10" => "run ./gradguess download cifar10, or point --data-dir at a directory holding the CIFAR-10 binary batches "
            + $"({Cifar10Reader.FolderName})",
        _ => "",
    };

    /// <summary>Throws <see cref="ArgumentException"/> listing the known sets.</summary>
    public static void RequireKnown(string set)
    {
        if (!DataSource.KnownSets.Contains(set))
            throw new ArgumentException($"unknown data set '{set}' (known: {string.Join(", ", DataSource.KnownSets)})", nameof(set));
    }
}
