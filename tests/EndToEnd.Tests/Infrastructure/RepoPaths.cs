namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Paths in the repository and to the built gradguess CLI, found from the test assembly's location.</summary>
public static class RepoPaths
{
    public static readonly string Root = global::GradGuessCluster.Tests.Shared.RepoRoot.Path;

    public static string GradguessDll => global::GradGuessCluster.Tests.Shared.GradguessApp.Dll;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
