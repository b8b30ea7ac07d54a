using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Data;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// "Missing data" before a sweep starts: the set's files are where the cells will read them (the same default
/// directories as <c>train</c> and <c>download</c>), and their headers and lengths are sane, so that a missing,
/// truncated or mislabelled file is refused at submit instead of failing every cell.
/// </summary>
public sealed class DataSetCheck : IDataSetCheck
{
    public string? Problem(DataSpec data) => Inspect(data).Problem;

    /// <summary>The set's sizes as its file headers give them, or the problem that stops it loading (one line).</summary>
    public static (DataShape? Shape, string? Problem) Inspect(DataSpec data)
    {
        var source = ToSource(data);
        var dir = DataLocations.DirectoryOf(source);
        if (!data.IsSynthetic && !Directory.Exists(dir))
            return (null, $"data directory {dir} for '{data.Set}' does not exist; " + DataLocations.HowToGet(data.Set).Replace("--data-dir", "data.dir"));
        try
        {
            return (DatasetLoader.Check(source), null);
        }
        catch (DataFormatException e) { return (null, e.Message.Replace("--data-dir", "data.dir")); }
        catch (ArgumentException e) { return (null, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (null, $"cannot read the data in {dir}: {e.Message}"); }
    }

    /// <summary>The training library's description of a spec's data set (what a pack loads).</summary>
    public static DataSource ToSource(DataSpec data) =>
        new(data.Set, data.Directory, data.Train, data.Test, data.Features, data.Seed);
}
