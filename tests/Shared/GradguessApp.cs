namespace GradGuessCluster.Tests.Shared;

/// <summary>The gradguess CLI that tests run as a process: the app the Client project's build publishes (ReadyToRun),
/// the one <c>./gradguess</c> runs, of the configuration this test assembly was built in.</summary>
public static class GradguessApp
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "src", "Client", "bin", configuration, "net10.0", "linux-x64", "publish", "gradguess.dll");
        // Fail here, once, rather than as a cryptic 'dotnet' usage error in every test that runs the CLI.
        if (!File.Exists(dll)) throw new FileNotFoundException($"the published gradguess app is missing: build src/Client ({configuration}) first", dll);
        return dll;
    }
}
