using System.Diagnostics;
using GradGuessCluster.Client.Tests.Local;

namespace GradGuessCluster.Client.Tests.Cli;

/// <summary>The <c>./gradguess</c> launcher, run from a copy in a scratch tree with a stand-in <c>dotnet</c> on the PATH
/// (a real build takes a minute): it builds when the sources are newer than the build, and never while another run
/// uses that build, which a rebuild under a running <c>local</c> would crash.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LauncherTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gg-launcher-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _calls;

    public LauncherTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src", "Client"));
        Directory.CreateDirectory(Path.Combine(_root, "fake"));
        File.Copy(Path.Combine(LocalSpecs.RepoRoot, "gradguess"), Path.Combine(_root, "gradguess"));
        File.WriteAllText(Path.Combine(_root, "src", "Client", "Client.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "src", "Client", "Program.cs"), "// source");
        _calls = Path.Combine(_root, "calls.log");
        // `dotnet build X.csproj` writes the app where MSBuild would; `dotnet APP args` logs its args and, if asked, runs on
        // until the test releases it (or for at most FAKE_HOLD seconds).
        var dotnet = Path.Combine(_root, "fake", "dotnet");
        File.WriteAllText(dotnet, """
            #!/usr/bin/env bash
            echo "$*" >> "$FAKE_CALLS"
            if [[ $1 == build ]]; then
              [[ -n "${FAKE_BUILD_SLEEP:-}" ]] && sleep "$FAKE_BUILD_SLEEP"
              [[ -n "${FAKE_BUILD_FAIL:-}" ]] && { echo "error CS0001: broken" >&2; exit 1; }
              # A source saved while the build runs, after the compiler read it.
              [[ -n "${FAKE_EDIT_DURING_BUILD:-}" ]] && { sleep 0.05; touch "$FAKE_EDIT_DURING_BUILD"; sleep 0.05; }
              # A compiler server left running, as dotnet build leaves VBCSCompiler and MSBuild nodes: it keeps what fds it got.
              [[ -n "${FAKE_SERVER_PID:-}" ]] && { sleep 30 </dev/null >/dev/null 2>&1 & echo $! > "$FAKE_SERVER_PID"; }
              out="$(dirname "$2")/bin/Release/net10.0/linux-x64/publish"; mkdir -p "$out"; touch "$out/gradguess.dll"; exit 0
            fi
            if [[ -n "${FAKE_HOLD:-}" ]]; then
              for ((i = 0; i < FAKE_HOLD * 20; i++)); do [[ -e "$FAKE_RELEASE" ]] && break; sleep 0.05; done
            fi
            echo "ran ${*:2}"
            """.Replace("\r", ""));
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(_root, "gradguess"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        var server = Path.Combine(_root, "server.pid");
        if (File.Exists(server) && int.TryParse(File.ReadAllText(server).Trim(), out var pid))
            try { Process.GetProcessById(pid).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ASourceSavedDuringTheBuild_IsBuiltOnTheNextRun()
    {
        // The stamp was written when the build ended, newer than a file saved while it ran: that edit never ran.
        var program = Path.Combine(_root, "src", "Client", "Program.cs");
        await RunAsync(["status"], environment: new() { ["FAKE_EDIT_DURING_BUILD"] = program });
        await RunAsync(["status"]);
        Assert.Equal(["build", "run status", "build", "run status"], Calls());
    }

    [Fact]
    public async Task ASourceRemoved_IsARebuild()
    {
        // Removing a file leaves no newer file behind: the stamp keeps the list of sources its build read.
        var extra = Path.Combine(_root, "src", "Client", "Extra.cs");
        File.WriteAllText(extra, "// extra");
        await RunAsync(["status"]);
        await RunAsync(["status"]);
        File.Delete(extra);
        await RunAsync(["status"]);
        Assert.Equal(["build", "run status", "run status", "build", "run status"], Calls());
    }

    [Fact]
    public async Task AServerTheBuildLeftRunning_DoesNotHoldTheBuildsLock()
    {
        await RunAsync(["status"], environment: new() { ["FAKE_SERVER_PID"] = Path.Combine(_root, "server.pid") });
        Touch(Path.Combine(_root, "src", "Client", "Program.cs"));
        var next = await RunAsync(["status"]);
        Assert.DoesNotContain("another gradguess runs from this build", next.Stderr);
        Assert.Equal(["build", "run status", "build", "run status"], Calls());
    }

    [Fact]
    public async Task BuildsWhenStale_AndNotUnderARunningOne_ThenOnceItHasEnded()
    {
        var first = await RunAsync(["status"]);
        Assert.Equal(["build", "run status"], Calls());
        Assert.Equal("ran status", first.Stdout.Trim());
        Assert.Contains("building the client", first.Stderr);

        await RunAsync(["status"]);   // up to date: runs without building
        Assert.Equal(["build", "run status", "run status"], Calls());

        var running = RunAsync(["local", "spec.yaml"], holdSeconds: 60);   // a `local` holding this build
        await WaitForAsync(() => Calls().Contains("run local spec.yaml"));
        Touch(Path.Combine(_root, "src", "Client", "Program.cs"));   // an estimator edited meanwhile
        var during = await RunAsync(["status"]);
        Assert.Contains("the sources changed, but another gradguess runs from this build", during.Stderr);
        Assert.Equal("ran status", during.Stdout.Trim());
        Assert.DoesNotContain("build", Calls().Skip(3));

        Release();
        Assert.Equal(0, (await running).ExitCode);
        var after = await RunAsync(["status"]);
        Assert.Contains("building the client", after.Stderr);
        Assert.Equal(["run status", "build", "run status"], Calls()[^3..]);
    }

    /// <summary>A run that finds the first build under way waits for that build, not for the builder's own run too: it
    /// waited for an exclusive lock, which the builder's shared one (held while its `local` ran) kept from it.</summary>
    [Fact]
    public async Task ARunDuringTheFirstBuild_WaitsForTheBuild_NotForTheBuildersRun()
    {
        var builder = RunAsync(["local", "spec.yaml"], holdSeconds: 30, environment: new() { ["FAKE_BUILD_SLEEP"] = "4" });
        await WaitForAsync(() => Calls().Contains("build"));
        var started = DateTime.UtcNow;
        var waiting = await RunAsync(["status"]);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8), $"waited {DateTime.UtcNow - started} (for the builder's run)");
        Assert.Equal("ran status", waiting.Stdout.Trim());
        Assert.Contains("another gradguess is building the client: waiting for it", waiting.Stderr);
        // The builder's run starts once its build ends, as this one's does: it may log its call after this one has ended.
        await WaitForAsync(() => Calls().Contains("run local spec.yaml"));
        Assert.Equal(["build", "run local spec.yaml", "run status"], Calls().Order(StringComparer.Ordinal));   // one build, either run first
        Assert.False(builder.IsCompleted);   // the builder's run still holds its build
        Release();
        Assert.Equal(0, (await builder).ExitCode);
    }

    /// <summary>The first build fails with two runs waiting on it: one builds, and the other waits for that build, not for
    /// the run of the one that built (it waited for an exclusive lock that run's shared one kept from it).</summary>
    [Fact]
    public async Task AFailedFirstBuild_IsBuiltByOneWaiter_WhileTheOtherWaitsOnlyForThatBuild()
    {
        var failing = RunAsync(["status"], environment: new() { ["FAKE_BUILD_SLEEP"] = "4", ["FAKE_BUILD_FAIL"] = "1" });
        await WaitForAsync(() => Calls().Contains("build"));
        var slow = RunAsync(["local", "spec.yaml"], holdSeconds: 30);   // whichever waiter builds, this one's run is long
        var started = DateTime.UtcNow;
        var quick = await RunAsync(["status"]);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"waited {DateTime.UtcNow - started} (for the other waiter's run)");
        Assert.Equal("ran status", quick.Stdout.Trim());
        Assert.Equal(1, (await failing).ExitCode);
        Assert.False(slow.IsCompleted);
        Release();
        Assert.Equal(0, (await slow).ExitCode);
        Assert.Equal(2, Calls().Count(c => c == "build"));   // the failed one, and one waiter's
    }

    private string[] Calls() =>
        File.Exists(_calls) ? File.ReadAllLines(_calls).Select(l => l.StartsWith("build ") ? "build" : "run " + l[(l.IndexOf(' ') + 1)..]).ToArray() : [];

    /// <summary>A newer modification time than anything the build wrote (file times can be coarse).</summary>
    private static void Touch(string path) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !condition(); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, "timed out");
    }

    /// <summary>Ends the run that <see cref="RunAsync"/> was asked to hold (one per test: the release stays).</summary>
    private void Release() => File.WriteAllText(Path.Combine(_root, "release"), "");

    /// <param name="holdSeconds">The fake app's run lasts until <see cref="Release"/>, or this long at most (a run that
    /// waited for it then shows in the waiting time a test asserts).</param>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, int holdSeconds = 0,
        Dictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Path.Combine(_root, "gradguess")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = Path.Combine(_root, "fake") + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["FAKE_CALLS"] = _calls;
        psi.Environment["FAKE_HOLD"] = holdSeconds > 0 ? holdSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        psi.Environment["FAKE_RELEASE"] = Path.Combine(_root, "release");
        foreach (var (name, value) in environment ?? []) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }
}
