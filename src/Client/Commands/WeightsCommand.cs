using System.CommandLine;
using GradGuessCluster.Client.Inspection;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Client.Weights;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess weights CHECKPOINT|SWEEP --out FILE|DIR</c>: trained cells' weights as files that PyTorch (through
/// safetensors) and NumPy load, each naming the model to load it into, the input it expects and what trained it. Reads
/// checkpoints; trains nothing and writes nothing but <c>--out</c>.</summary>
internal sealed class WeightsCommand : Command
{
    private readonly Argument<string> _path = new("CHECKPOINT")
    {
        Description = "A checkpoint file (train --checkpoint's), a directory of them, or with --state-dir (--checkpoint-dir) a sweep's name",
    };
    private readonly CheckpointSourceOptions _source = new();
    private readonly Option<string> _out = new("--out")
    {
        Description = "FILE.safetensors or FILE.npz for one cell, or a directory: a file per cell, named METHOD-OPTIMIZER-lrLR-seedSEED",
        HelpName = "FILE|DIR",
        Required = true,
    };
    private readonly Option<string?> _format = new("--format") { Description = "safetensors (default) or npz, for a directory --out", HelpName = "safetensors|npz" };
    private readonly Option<bool> _best = new("--best") { Description = "Of a sweep: the cells of each results row's chosen learning rate (every seed)" };
    private readonly Option<string[]> _cell = new("--cell")
    {
        Description = "Of a sweep: this cell, as METHOD-OPTIMIZER-lrLR-seedSEED (wt-adamw-lr1e-3-seed0) or by its id or a prefix " +
                      "only it has (repeatable)",
        HelpName = "CELL",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<bool> _json = new("--json") { Description = "The files written as JSON on stdout" };

    public WeightsCommand() : base("weights",
        "Write trained cells' weights as safetensors or npz files for PyTorch and NumPy, with the model, input and training they need")
    {
        Arguments.Add(_path);
        _source.AddTo(this);
        foreach (var o in new Option[] { _out, _format, _best, _cell, _json }) Options.Add(o);
        _format.CompletionSources.Add("safetensors", "npz");
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var path = parse.GetValue(_path)!;
        var named = parse.GetValue(_cell) ?? [];
        bool best = parse.GetValue(_best);
        var directory = _source.Directory(parse);
        if (directory is null && (best || named.Length > 0))
            throw new UsageException($"{(best ? "--best" : "--cell")} picks cells of a sweep: give --state-dir DIR (or a cluster's --checkpoint-dir DIR) " +
                                     "and the sweep's name");
        if (best && named.Length > 0) throw new UsageException("--best and --cell: give one of them");
        var target = WeightsTarget.Of(parse.GetValue(_out)!, parse.GetValue(_format), directory?.Option, directory?.Path);   // before anything is read
        TorchRuntime.SetThreads(1);

        IReadOnlyList<WeightsCell> cells;
        if (directory is null) cells = await Task.Run(() => WeightsSelection.OfCheckpoints(CheckpointSourceOptions.AtPath(path), ct), ct);
        else
        {
            await using var sweep = await _source.OpenSweepAsync(parse, path, ct);
            cells = await WeightsSelection.OfSweepAsync(sweep.Source, path, sweep.Files, best, named, ct);
        }
        if (cells.Count == 0) throw new UsageException("no cell to write: every one chosen is left out (said above)");
        if (target.IsFile && cells.Count > 1)
            throw new UsageException($"--out {target.Path} is one file, and there are {cells.Count} cells to write: name a directory for a file " +
                                     "each" + (directory is null ? "" : ", or pick one with --cell"));

        var written = new List<object>();
        foreach (var cell in cells)
        {
            ct.ThrowIfCancellationRequested();
            var file = target.Write(cell.Stem, cell.Arrays(), cell.Metadata());
            if (parse.GetValue(_json))
                written.Add(new { file, cell.CellId, cell.Method, cell.Optimizer, cell.LearningRate, cell.Seed, cell.Epoch, cell.TrainAccuracy, cell.TestAccuracy });
            else Output.Line($"{file}: {cell.Describe()}, epoch {cell.Epoch}{Accuracies(cell)}");
        }
        if (parse.GetValue(_json)) JsonOutput.Write(written);
        return ExitCodes.Success;
    }

    private static string Accuracies(WeightsCell cell) =>
        (cell.TrainAccuracy, cell.TestAccuracy) is (null, null) ? ""
            : $" (train {Percent(cell.TrainAccuracy)}, test {Percent(cell.TestAccuracy)})";

    private static string Percent(double? value) => value is { } v ? $"{100 * v:F2}%" : "-";
}
