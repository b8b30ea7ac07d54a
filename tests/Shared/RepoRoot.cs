namespace GradGuessCluster.Tests.Shared;

/// <summary>The repository's root, found from the test binary upwards (linked into every test project).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "GradGuessCluster.sln"))) return dir.FullName;
        throw new InvalidOperationException("GradGuessCluster.sln not found above " + AppContext.BaseDirectory);
    }
}
