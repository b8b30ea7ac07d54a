namespace GradGuessCluster.Client.Local;

/// <summary>File storage keeps a directory per sweep under each grain type's directory (<c>state/gg-curve/SWEEP/...</c>);
/// deleting a sweep's state files leaves those directories empty.</summary>
internal static class EmptyDirectories
{
    /// <summary>Removes <c>root/*/name</c> wherever it holds no file at any depth; leaves any that still hold one.</summary>
    public static void Remove(string root, string name)
    {
        if (!Directory.Exists(root)) return;
        foreach (var typeDirectory in Directory.EnumerateDirectories(root))
        {
            var directory = Path.Combine(typeDirectory, name);
            if (Directory.Exists(directory) && !Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Any())
                Directory.Delete(directory, recursive: true);
        }
    }
}
