namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Paths in the repository (found from the test binary upwards).</summary>
public static class RepoPaths
{
    public static string Root { get; } = global::GradGuessCluster.Tests.Shared.RepoRoot.Path;

    public static string TestData(params string[] parts) => Path.Combine([Root, "tests", "TestData", .. parts]);
}
