using System.Diagnostics;
using System.Text;
using GradGuessCluster.Tests.Shared;
using FreePorts = GradGuessCluster.EndToEnd.Tests.Infrastructure.FreePorts;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>A <c>gradguess local</c> (or <c>silo</c>) process running in the background, to be interrupted (SIGKILL, SIGINT, SIGTERM).</summary>
internal sealed class LocalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    public LocalProcess(params string[] args)
    {
        // A child inherits an ignored SIGINT (a test run started as a background job of a non-interactive shell has
        // one), and .NET then installs no SIGINT handler, as Unix expects of background jobs: Ctrl-C would be lost and
        // the sweep would run to its end. env resets the disposition so that the Ctrl-C test tests the command.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", GradguessApp.Dll })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public void Kill() => _process.Kill();   // SIGKILL on Unix

    public bool HasExited => _process.HasExited;

    /// <summary>A <c>silo</c> of one CPU slot at one thread on free loopback ports, healthy, and the options that reach it.</summary>
    public static async Task<(LocalProcess Silo, string[] Target)> StartSiloAsync(string stateDirectory)
    {
        int gateway = FreePorts.Next(), http = FreePorts.Next();
        var silo = new LocalProcess("silo", "--cpu-training", "--cpu-slots", "1", "--threads", "1", "--state-dir", stateDirectory,
            "--silo-port", Port(FreePorts.Next()), "--gateway-port", Port(gateway), "--http-port", Port(http));
        try
        {
            await silo.WaitHealthyAsync(http);
        }
        catch
        {
            silo.Dispose();
            throw;
        }
        return (silo, ["--gateway", $"127.0.0.1:{gateway}", "--connect-timeout", "30"]);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>For a <c>silo</c>: waits until its <c>/healthz</c> on <paramref name="httpPort"/> says active.</summary>
    public async Task WaitHealthyAsync(int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var until = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < until; await Task.Delay(300))
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{httpPort}/healthz")).StatusCode == System.Net.HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        }
        throw new TimeoutException("the silo did not become healthy: " + Stderr);
    }

    /// <param name="name">A signal name for kill(1): INT (Ctrl-C), TERM.</param>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gradguess local did not exit within {timeout}: {Stderr}");
        }
        _process.WaitForExit();   // drain the output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
