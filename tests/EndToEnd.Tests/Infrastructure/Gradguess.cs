namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the built gradguess CLI as a process.</summary>
public static class Gradguess
{
    public static Task<ToolRun> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRun.RunAsync("dotnet", [RepoPaths.GradguessDll, .. args], workingDirectory, environment, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>Runs and asserts exit code 0, returning stdout.</summary>
    public static Task<string> OkAsync(params string[] args) => OkAsync(null, args);

    /// <summary>As <see cref="OkAsync(string[])"/>, waiting up to <paramref name="timeout"/> (null: the default).</summary>
    public static async Task<string> OkAsync(TimeSpan? timeout, params string[] args)
    {
        var run = await RunAsync(args, timeout);
        Assert.True(run.ExitCode == 0, $"gradguess {string.Join(' ', args)}: {run}");
        return run.Stdout;
    }
}
