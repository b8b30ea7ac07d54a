using System.CommandLine;
using GradGuessCluster.Client.Bench;
using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Placement;
using GradGuessCluster.Grains.Interfaces.Validation;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess bench orchestration</c>: the orchestrator's overhead with a no-op trainer (issue 3), written to
/// its section of docs/BENCHMARKS.md.</summary>
internal sealed class BenchOrchestrationCommand : Command
{
    private const int DefaultCells = 1000, DefaultEpochs = 10, DefaultSlots = 64;
    private readonly Option<int> _cells = new("--cells") { Description = "Cells (one-cell packs)", DefaultValueFactory = _ => DefaultCells };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Epochs per cell", DefaultValueFactory = _ => DefaultEpochs };
    private readonly Option<int> _slots = new("--slots") { Description = "CPU training slots (no-op cells running at once)", DefaultValueFactory = _ => DefaultSlots };
    private readonly Option<bool> _fsync = new("--fsync") { Description = "fsync every state write" };
    private readonly Option<string?> _stateDir = new Option<string?>("--state-dir") { Description = "State directory (default: a fresh temp directory, deleted afterwards)" }.NotEmpty();
    private readonly Option<string?> _out = new("--out") { Description = BenchmarksFile.OutHelp };

    public BenchOrchestrationCommand() : base("orchestration", "Measure the orchestrator's overhead: a no-op sweep through the real grains and storage")
    {
        foreach (var o in new Option[] { _cells, _epochs, _slots, _fsync, _stateDir, _out }) Options.Add(o);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    /// <summary>The record is 1000 cells × 10 epochs on 64 slots; an fsync run is a record of its own.</summary>
    internal static NarrowedRun Scope(int cells, int epochs, int slots, bool fsync)
    {
        var narrowed = new List<string>();
        if (cells != DefaultCells || epochs != DefaultEpochs) narrowed.Add($"{cells} cells × {epochs} epochs");
        if (slots != DefaultSlots) narrowed.Add($"{slots} slots");
        return new NarrowedRun(fsync ? "orchestration-bench-fsync" : "orchestration-bench", narrowed);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (cells, epochs, slots) = (parse.GetValue(_cells), parse.GetValue(_epochs), parse.GetValue(_slots));
        // The bench's spec and silo refuse past these too, but in their own words (a spec's maxCells, the silo's
        // CpuSlots, exit 1), and the cells only after the warm-up sweep.
        foreach (var (option, value, max) in new[] { ("--cells", cells, SweepSpecValidator.HardMaxCells), ("--epochs", epochs, SweepSpecValidator.MaxEpochs),
                                                     ("--slots", slots, SiloSlots.MaxSlots) })
            if (value < 1 || value > max) throw new UsageException($"{option} must be 1 to {max}, got {value}");
        var owned = parse.GetValue(_stateDir) is null;
        var stateDir = parse.GetValue(_stateDir) ?? Path.Combine(Path.GetTempPath(), "gradguess-bench-" + Guid.NewGuid().ToString("N")[..8]);
        if (!owned && Directory.Exists(stateDir) && Directory.EnumerateFileSystemEntries(stateDir).Any())
            throw new UsageException($"--state-dir {stateDir} is not empty");
        var outPath = BenchmarksFile.OutPath(parse.GetValue(_out));
        try
        {
            var result = await OrchestrationBench.RunAsync(cells, epochs, slots, stateDir, parse.GetValue(_fsync), Output.Info, cancellationToken);
            var run = Scope(cells, epochs, slots, parse.GetValue(_fsync));
            var markdown = run.WithNote(OrchestrationBenchReport.Markdown(result, MachineInfo.Current().ToString(), BenchmarksFile.CheckoutCommit()));
            Output.Line(markdown);
            run.SaveTo(outPath, markdown);
            return ExitCodes.Success;
        }
        finally
        {
            if (owned && Directory.Exists(stateDir)) Directory.Delete(stateDir, recursive: true);
        }
    }
}
