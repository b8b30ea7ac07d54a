using System.Diagnostics;

namespace GradGuessCluster.Client.Tests.Support;

/// <summary>Runs a tool the tests check the product's files with (pdflatex, pdftoppm, rsvg-convert: .ci/run installs
/// them), with a minute's limit; a tool that is missing fails the test naming the package to install.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string tool, string package, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} did not start ({e.Message}): apt-get install {package}", e);
        }
        using var running = process ?? throw new InvalidOperationException($"{tool} did not start: apt-get install {package}");
        using var minute = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var (stdout, stderr) = (running.StandardOutput.ReadToEndAsync(minute.Token), running.StandardError.ReadToEndAsync(minute.Token));
        await running.WaitForExitAsync(minute.Token);
        return new Result(running.ExitCode, await stdout, await stderr);
    }
}
