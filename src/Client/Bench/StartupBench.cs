using System.Diagnostics;
using GradGuessCluster.Client.Cluster;

namespace GradGuessCluster.Client.Bench;

/// <summary>How long gradguess commands take from a process's start to its exit, for one app or two alternating: the cost a
/// user pays on every <c>status</c>, <c>results</c> or <c>plan</c>, most of it the runtime compiling code.</summary>
internal static class StartupBench
{
    /// <summary>A command to time; <see cref="Args"/> may name the bench's spec, sweep and state directory.</summary>
    public sealed record Probe(string Command, string What, string[] Args);

    public const string SweepName = "startup-probe";

    public static IReadOnlyList<Probe> Probes(string spec, string stateDir) =>
    [
        new("--version", "the runtime and the command line only", ["--version"]),
        new("plan SPEC", "a spec read and checked, its grid and work described; no silo", ["plan", spec]),
        new("status SWEEP --state-dir DIR", "an offline read: an embedded silo started, one sweep's state read", ["status", SweepName, "--state-dir", stateDir]),
    ];

    /// <summary>Trains a tiny synthetic sweep to read (with the first app), then times every probe with every app:
    /// one untimed round, then <paramref name="runs"/> timed ones, the apps' order alternating between rounds.</summary>
    public static async Task<StartupBenchResult> RunAsync(IReadOnlyList<AppBuild> apps, int runs, string workDirectory,
        Action<string> progress, CancellationToken ct)
    {
        var spec = Path.Combine(workDirectory, SweepName + ".yaml");
        File.WriteAllText(spec, $$"""
            name: {{SweepName}}
            data: { set: synthetic, train: 256, test: 64, features: 16 }
            model: { depth: 1, width: 8 }
            methods: [backprop]
            optimizers: [sgd]
            learningRates: [1.0e-2]
            epochs: 1
            """);
        var state = Path.Combine(workDirectory, "state");
        progress("training a one-cell sweep to read back");
        await RunOnceAsync(apps[0], ["local", spec, "--state-dir", state, "--metrics-port", "0"], ct);

        var probes = Probes(spec, state);
        var seconds = probes.Select(_ => apps.Select(_ => new List<double>()).ToArray()).ToArray();
        for (int round = 0; round <= runs; round++)
        {
            for (int p = 0; p < probes.Count; p++)
                foreach (var a in round % 2 == 0 ? Enumerable.Range(0, apps.Count) : Enumerable.Range(0, apps.Count).Reverse())
                {
                    var elapsed = await RunOnceAsync(apps[a], probes[p].Args, ct);
                    if (round > 0) seconds[p][a].Add(elapsed);
                }
            progress(round == 0 ? "warm-up round done" : $"round {round} of {runs} done");
        }
        return new StartupBenchResult(apps, probes, seconds.Select(perApp => perApp.Select(s => (IReadOnlyList<double>)s).ToArray()).ToArray(),
            runs, DateTime.UtcNow);
    }

    /// <summary>Wall seconds of one run of <c>dotnet APP args</c>; a run that fails ends the bench, with its last words.</summary>
    private static async Task<double> RunOnceAsync(AppBuild app, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        // Offline and alike for every app: no cluster from the environment.
        foreach (var name in new[] { ClusterConnectionOptions.GatewayVariable, ClusterConnectionOptions.RedisVariable, ClusterConnectionOptions.ClusterIdVariable })
            psi.Environment.Remove(name);
        psi.ArgumentList.Add(app.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"gradguess {string.Join(' ', args)} ({app.Directory}) exited {process.ExitCode}: " +
                (error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no message"));
        return elapsed;
    }
}
