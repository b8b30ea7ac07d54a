namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Paths in the repository and to the built gradguess CLI, found from the test assembly's location.</summary>
public static class RepoPaths
{
    public static readonly string Root = global::GradGuessCluster.Tests.Shared.RepoRoot.Path;

    /// <summary>Debug or Release, as this test assembly was built.</summary>
    public static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    /// <summary>The CLI as the Client project built it (a complete output folder with its own deps and runtimeconfig).</summary>
    public static string GradguessDll => Path.Combine(Root, "src", "Client", "bin", Configuration, "net10.0", "linux-x64", "gradguess.dll");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
