namespace GradGuessCluster.Client.Tests.Support;

/// <summary>Copies a fixture directory (a stored state directory) so that a test may change its copy.</summary>
internal static class DirectoryCopy
{
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
