using System.CommandLine;
using GradGuessCluster.Client.Bench;
using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess bench startup</c>: how long commands take to start and end as processes, for this app and (by
/// default) the build output it was published from, written to its section of docs/BENCHMARKS.md.</summary>
internal sealed class BenchStartupCommand : Command
{
    private readonly Option<int> _runs = new("--runs") { Description = "Timed runs of each command per app (median reported)", DefaultValueFactory = _ => 7 };
    private readonly Option<string?> _against = new("--against")
    {
        Description = "A gradguess build or publish folder to compare with, or 'none' (default: the build output this app was published from, if any)",
    };
    private readonly Option<string?> _out = new("--out") { Description = BenchmarksFile.OutHelp };

    public BenchStartupCommand() : base("startup", "Measure how long commands take to start and exit, against another build of the app")
    {
        foreach (var o in new Option[] { _runs, _against, _out }) Options.Add(o);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    /// <summary>Timed runs of each command per app: the record uses 7; past this a count is a typo (and the bench's
    /// rounds, one more than the runs, overflowed at 2^31-1).</summary>
    public const int MaxRuns = 1000;

    /// <summary>The record compares two builds over at least <see cref="BenchScope.MinTimed"/> runs each.</summary>
    internal static NarrowedRun Scope(int runs, bool compared)
    {
        var narrowed = new List<string>();
        if (runs < BenchScope.MinTimed) narrowed.Add($"{runs} run{(runs == 1 ? "" : "s")}");
        if (!compared) narrowed.Add("no build compared");
        return new NarrowedRun(StartupBenchReport.Section, narrowed);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var runs = parse.GetValue(_runs);
        if (runs < 1) throw new UsageException($"--runs must be >= 1, got {runs}");
        if (runs > MaxRuns) throw new UsageException($"--runs must be <= {MaxRuns}, got {runs}");
        var self = AppBuild.Current();
        var against = parse.GetValue(_against) switch
        {
            "none" => null,
            null => AppBuild.BuildOutputBeside(self.Directory) is { } beside ? AppBuild.Read(beside) : null,
            var dir => AppBuild.Read(dir),
        };
        if (against is not null && against.Directory == self.Directory)
            throw new UsageException($"--against {against.Directory}: that is the app this bench runs from; give another build");
        var outPath = BenchmarksFile.OutPath(parse.GetValue(_out));
        var work = Directory.CreateTempSubdirectory("gradguess-startup-bench-").FullName;
        try
        {
            var apps = against is null ? new[] { self } : [self, against];
            var result = await StartupBench.RunAsync(apps, runs, work, Output.Info, cancellationToken);
            var run = Scope(runs, against is not null);
            var markdown = run.WithNote(StartupBenchReport.Markdown(result, MachineInfo.Current().ToString(), BenchmarksFile.CheckoutCommit()));
            Output.Line(markdown);
            run.SaveTo(outPath, markdown);
            return ExitCodes.Success;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
