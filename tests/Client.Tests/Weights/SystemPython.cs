using System.Diagnostics;

namespace GradGuessCluster.Client.Tests.Weights;

/// <summary>Debian's python3 with its python3-numpy (which .ci/run installs): the reader outside gradguess that the weights
/// files are for. Named by its path, so another python on PATH without NumPy (a pyenv shim) is not the one run.</summary>
internal static class SystemPython
{
    public const string Path = "/usr/bin/python3";

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: install python3-numpy (.ci/run does)");
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "python did not finish in 2 minutes");
        return (process.ExitCode, stdout, stderr.Result);
    }
}
