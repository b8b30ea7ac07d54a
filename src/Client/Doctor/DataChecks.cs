using System.Globalization;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Client.Doctor;

/// <summary>File-backed data sets, checked as a sweep checks them before training (headers, lengths, labels;
/// <see cref="DatasetLoader.Check"/>): by default each at its standard place, where absent is a warning (training needs
/// only the set it names); with <c>--data</c> only the sets named, and with <c>--data-dir</c> the one set where the user
/// keeps it, where absent is a failure (the runs that point there would fail). Present but unreadable or corrupt is a
/// failure either way.</summary>
internal static class DataChecks
{
    private const string Area = "data";

    /// <summary>The sets doctor reads by default: every one that is read from files.</summary>
    private static IReadOnlyList<string> FileBackedSets { get; } = [.. DataSource.KnownSets.Where(s => s != SyntheticDataset.Name)];

    /// <summary>The sets and directory the options name, refused as train refuses them (exit 2, before seconds of
    /// device checks): an unknown set, --data-dir for none or several sets or for generated data.</summary>
    public static (IReadOnlyList<string> Sets, string? Directory) Selection(IReadOnlyList<string> named, string? directory)
    {
        foreach (var set in named) DataOptionRules.RequireKnown(set);
        if (directory is not null && named.Distinct().Count() != 1)
            throw new UsageException("--data-dir: name the one set whose files are there with --data");
        if (directory is not null) DataOptionRules.RefuseDirectoryForGenerated(named[0], directory);
        return (named.Count == 0 ? FileBackedSets : [.. named.Distinct()], directory);
    }

    public static IEnumerable<DoctorFinding> Run(IReadOnlyList<string> sets, string? directory) =>
        sets.Select(s => Check(s, directory));

    private static DoctorFinding Check(string set, string? given)
    {
        if (set == SyntheticDataset.Name)
            return new(Area, set, DoctorStatus.Info, "generated in each run from its seed: no files to check");
        var dir = Path.GetFullPath(given ?? DataLocations.DefaultDirectory(set));
        if (!HasAnyFile(set, dir))
            return given is null
                ? new(Area, set, DoctorStatus.Warn, $"not found in {dir}", DataLocations.HowToGet(set))
                : new(Area, set, DoctorStatus.Fail, $"not found in {dir} (--data-dir)",
                    $"run ./gradguess download {set} --dir {dir}, or give --data-dir the directory that holds the files");
        try
        {
            var shape = DatasetLoader.Check(new DataSource(set, given is null ? null : dir));
            return new(Area, set, DoctorStatus.Ok, $"{Count(shape.TrainCount)} train and {Count(shape.TestCount)} test examples in {dir}");
        }
        catch (DataFormatException e)
        {
            // download keeps a file it did not write, so a damaged one has to go first.
            return new(Area, set, DoctorStatus.Fail, e.Message, given is null ? DataLocations.HowToGet(set)
                : $"move {e.FilePath} away and run ./gradguess download {set} --dir {dir}, or give --data-dir a directory of intact files");
        }
    }

    /// <summary>Whether any of the set's files is there: none is a set never fetched; some, a set that is broken.</summary>
    private static bool HasAnyFile(string set, string dir)
    {
        if (!Directory.Exists(dir)) return false;
        if (set == "cifar10")
        {
            var batches = Cifar10Reader.ResolveDirectory(dir);
            return Cifar10Reader.TrainFiles.Append(Cifar10Reader.TestFile).Any(n => File.Exists(Path.Combine(batches, n)));
        }
        return new[] { DatasetLoader.TrainImages, DatasetLoader.TrainLabels, DatasetLoader.TestImages, DatasetLoader.TestLabels }
            .Any(n => File.Exists(Path.Combine(dir, n)) || File.Exists(Path.Combine(dir, n + ".gz")));
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
