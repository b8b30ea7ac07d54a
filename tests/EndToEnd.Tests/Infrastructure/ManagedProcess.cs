using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GradGuessCluster.EndToEnd.Tests.Infrastructure;

/// <summary>A long-running child process (server, silo) with its output in a log file; killed on dispose.</summary>
public sealed class ManagedProcess : IDisposable
{
    private const int SIGKILL = 9, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19;
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ManagedProcess(Process process, string logPath, StreamWriter log)
    {
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ManagedProcess Start(string file, IEnumerable<string> args, string logPath, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(logPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) start.Environment[k] = v;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(process, logPath, log);
    }

    /// <summary>SIGKILL: no shutdown code runs (a crashed node).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _ = kill(_process.Id, SIGKILL);
        WaitForExitAndOutput(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGSTOP: the process stops dead, sockets open (a hung node: a long GC pause, a frozen VM), until
    /// <see cref="Continue"/>.</summary>
    public void Freeze() => _ = kill(_process.Id, SIGSTOP);

    /// <summary>SIGCONT: a frozen process runs on, unaware of the time it lost.</summary>
    public void Continue() => _ = kill(_process.Id, SIGCONT);

    /// <summary>SIGTERM, then waits for the process to exit by itself (and for its last output to reach the log).</summary>
    public bool Terminate(TimeSpan wait)
    {
        if (!_process.HasExited) _ = kill(_process.Id, SIGTERM);
        return WaitForExitAndOutput(wait);
    }

    /// <summary>WaitForExit with a timeout returns before the redirected output is drained; only the parameterless one
    /// waits for it, so a log read right after an exit could miss its last lines.</summary>
    private bool WaitForExitAndOutput(TimeSpan wait)
    {
        if (!_process.WaitForExit(wait)) return false;
        _process.WaitForExit();
        return true;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The end of the log, for failure messages: read from its last 1 MiB, since a process stuck in a loop that
    /// logs may have written gigabytes (a test once failed with an OutOfMemoryException here, reading them all).</summary>
    public string LogTail(int lines = 40)
    {
        const int Window = 1 << 20;
        lock (_log)
        {
            try
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(Math.Max(0, stream.Length - Window), SeekOrigin.Begin);
                var all = new StreamReader(stream).ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException e) { return $"(log unreadable: {e.Message})"; }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
