using System.Diagnostics;
using GradGuessCluster.Tests.Shared;

namespace GradGuessCluster.Client.Tests.Support;

/// <summary>Runs the built gradguess client as a real process (exit code, stdout and stderr as a user sees them).</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>An environment without the variables that point the client at a cluster, so only the options count.</summary>
    public static readonly IReadOnlyDictionary<string, string?> NoClusterEnvironment = new Dictionary<string, string?>
    {
        ["GRADGUESS_GATEWAY"] = null, ["GRADGUESS_REDIS"] = null, ["GRADGUESS_CLUSTER_ID"] = null,
    };

    /// <summary><paramref name="args"/> with <paramref name="option"/> set to <paramref name="value"/>: replaced where
    /// it is already given (a repeated option is an error of its own), appended otherwise.</summary>
    public static string[] WithOption(string[] args, string option, string value)
    {
        var idx = Array.IndexOf(args, option);
        if (idx < 0) return [.. args, option, value];
        var copy = (string[])args.Clone();
        copy[idx + 1] = value;
        return copy;
    }

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(3), null, args);

    public static Result Run(TimeSpan timeout, string? workingDirectory, params string[] args) => Run(timeout, workingDirectory, null, args);

    /// <param name="environment">Variables set (or, with a null value, removed) for this run only.</param>
    public static Result Run(TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        Run(timeout, workingDirectory, environment, [], args);

    /// <summary>As <see cref="Run(string[])"/>, held to files' modes as any user is. Tests run as root, whom no mode stops:
    /// a root run goes through setpriv without the capabilities that read and write past a mode (CAP_DAC_OVERRIDE,
    /// CAP_DAC_READ_SEARCH), so a file of root's with mode 000 is refused to it as to anyone else.</summary>
    public static Result RunHeldToFileModes(params string[] args) => Run(TimeSpan.FromMinutes(3), null, null, Without("dac_override", "dac_read_search"), args);

    /// <summary>As <see cref="Run(string[])"/>, refused ports below 1024 as any user is (where the kernel keeps them
    /// privileged): a root run goes through setpriv without CAP_NET_BIND_SERVICE.</summary>
    public static Result RunWithoutPrivilegedPorts(params string[] args) => Run(TimeSpan.FromMinutes(3), null, null, Without("net_bind_service"), args);

    /// <summary>The launcher that drops <paramref name="capabilities"/> from a root run; none for another user, who lacks
    /// them already.</summary>
    private static string[] Without(params string[] capabilities) =>
        Environment.IsPrivilegedProcess ? ["setpriv", "--bounding-set=" + string.Join(",", capabilities.Select(c => "-" + c))] : [];

    private static Result Run(TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment,
        string[] launcher, string[] args)
    {
        var psi = new ProcessStartInfo(launcher.Length > 0 ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,   // closed at once: a command that would ask a question sees no terminal
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) psi.Environment[name] = value;
        foreach (var a in launcher.Skip(1).Concat(launcher.Length > 0 ? ["dotnet"] : [])) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(GradguessApp.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gradguess {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
