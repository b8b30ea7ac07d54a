using System.Globalization;

namespace GradGuessCluster.Client.Bench;

/// <summary>The start-up bench's section of docs/BENCHMARKS.md.</summary>
internal static class StartupBenchReport
{
    public const string Section = "startup-bench";

    public static string Markdown(StartupBenchResult r, string machine, string commit)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        string Cell(int probe, int app) =>
            $"{F(r.Median(probe, app), "F3")} s ({F(r.Seconds[probe][app].Min(), "F3")}–{F(r.Seconds[probe][app].Max(), "F3")})";
        static string Describe(AppBuild a) => $"`{a.Directory}`: {a.ReadyToRunAssemblies} of its {a.ManagedAssemblies} assemblies compiled ahead of time (ReadyToRun)";

        var letters = new[] { "A", "B" };
        var lines = new List<string>
        {
            "## Command start-up (`./gradguess bench startup`)",
            "",
            $"- Run: {r.FinishedUtc:yyyy-MM-dd HH:mm} UTC on {machine}. Commit: {commit}.",
            $"- A: the app the bench ran from, {Describe(r.Apps[0])}.",
        };
        if (r.Apps.Count > 1) lines.Add($"- B, compared against: {Describe(r.Apps[1])}.");
        lines.Add($"- Protocol: each command as a new process (`dotnet gradguess.dll ...`), one untimed round and then {r.Runs} timed " +
                  "ones, the apps' order alternating between rounds; wall time from the process's start to its exit, median (min–max). " +
                  "The sweep read is a one-cell synthetic sweep the bench trains first.");
        lines.Add("");
        var header = "| command | what it does |" + string.Concat(r.Apps.Select((_, i) => $" {letters[i]} |")) + (r.Apps.Count > 1 ? " B / A |" : "");
        lines.Add(header);
        lines.Add("|---|---|" + string.Concat(r.Apps.Select(_ => "---:|")) + (r.Apps.Count > 1 ? "---:|" : ""));
        for (int p = 0; p < r.Probes.Count; p++)
            lines.Add($"| `{r.Probes[p].Command}` | {r.Probes[p].What} |" + string.Concat(r.Apps.Select((_, a) => $" {Cell(p, a)} |"))
                      + (r.Ratio(p) is { } ratio ? $" {F(ratio, "F2")}× |" : ""));
        return string.Join('\n', lines) + "\n";
    }
}
