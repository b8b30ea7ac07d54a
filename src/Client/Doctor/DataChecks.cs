using System.Globalization;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Client.Doctor;

/// <summary>Each file-backed data set at its default location, checked as a sweep checks it before training (headers,
/// lengths, labels; <see cref="DatasetLoader.Check"/>). Absent is a warning, since training needs only the set it
/// names; present but unreadable or corrupt is a failure, since it would fail every run that names it.</summary>
internal static class DataChecks
{
    private const string Area = "data";

    public static IEnumerable<DoctorFinding> Run() =>
        DataSource.KnownSets.Where(s => s != SyntheticDataset.Name).Select(Check);

    private static DoctorFinding Check(string set)
    {
        var dir = Path.GetFullPath(DataLocations.DefaultDirectory(set));
        if (!HasAnyFile(set, dir))
            return new(Area, set, DoctorStatus.Warn, $"not found in {dir}", DataLocations.HowToGet(set));
        try
        {
            var shape = DatasetLoader.Check(new DataSource(set));
            return new(Area, set, DoctorStatus.Ok, $"{Count(shape.TrainCount)} train and {Count(shape.TestCount)} test examples in {dir}");
        }
        catch (DataFormatException e)
        {
            return new(Area, set, DoctorStatus.Fail, e.Message, DataLocations.HowToGet(set));
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
