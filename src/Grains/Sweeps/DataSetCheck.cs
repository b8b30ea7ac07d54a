using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// "Missing data" before a sweep starts: the set's directory and files must exist. (Interim: existence only; the data
/// module's DatasetLoader.Check, which also validates headers, replaces the body once it lands.)
/// </summary>
public sealed class DataSetCheck : IDataSetCheck
{
    public string? Problem(DataSpec data)
    {
        if (data.IsSynthetic) return null;
        var dir = data.Directory ?? DefaultDirectory(data.Set);
        if (!Directory.Exists(dir))
            return $"data directory {dir} for '{data.Set}' does not exist" + (data.Directory is null ? " (set data.dir)" : "");
        var missing = ExpectedFiles(data.Set).Where(name => !File.Exists(Path.Combine(dir, name)) && !File.Exists(Path.Combine(dir, name + ".gz"))).ToList();
        return missing.Count == 0 ? null : $"data directory {dir} lacks {string.Join(", ", missing)}";
    }

    private static string DefaultDirectory(string set) => set switch
    {
        "fashion-mnist" => "/usr/share/datasets/fashion-mnist",
        _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gradguess", "data", set),
    };

    private static IEnumerable<string> ExpectedFiles(string set) => set == "cifar10"
        ? ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]
        : ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
}
