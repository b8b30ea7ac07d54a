using System.CommandLine;
using System.Text.Json;
using GradGuessCluster.Client.Inspection;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Training.Checkpoints;
using GradGuessCluster.Training.Data;
using GradGuessCluster.Training.Inspection;
using GradGuessCluster.Training.Loop;
using GradGuessCluster.Training.Model;
using GradGuessCluster.Training.Runtime;
using static TorchSharp.torch;

namespace GradGuessCluster.Client.Commands;

/// <summary><c>gradguess inspect CHECKPOINT|DIRECTORY</c>: what a checkpoint's weights do to their training set, per cell
/// and layer (<see cref="PackInspection"/>): weight and spectral norms, ranks, where the weights lie among their inputs'
/// directions, the forward and backward signals, open and dead ReLUs, and where the true gradient sits. Reads the
/// checkpoint and the data; trains and writes nothing.</summary>
internal sealed class InspectCommand : Command
{
    private readonly Argument<string> _path = new("CHECKPOINT")
    {
        Description = "A checkpoint file (train --checkpoint's), a directory of them, or with --state-dir (--checkpoint-dir) a sweep's name",
    };
    private readonly CheckpointSourceOptions _source = new();
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Directory with the data files (default: the set's standard location)" };
    private readonly Option<int> _directions = new("--directions")
    {
        Description = "Principal directions of each layer's inputs that the 'in top' column counts", DefaultValueFactory = _ => PackInspection.DefaultDirections,
    };
    private readonly Option<int> _threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 1 }.Threads();
    private readonly Option<bool> _json = new("--json") { Description = "JSON on stdout" };

    public InspectCommand() : base("inspect",
        "Per cell and layer of a checkpoint, on its training set: weight norms and ranks, forward and backward signals, open ReLUs, the true gradient's share")
    {
        Arguments.Add(_path);
        _source.AddTo(this);
        foreach (var o in new Option[] { _dataDir, _directions, _threads, _json }) Options.Add(o);
        SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(_directions) is var d and < 1) throw new UsageException($"--directions: expected at least 1, got {d}");
            var path = parse.GetValue(_path)!;
            IReadOnlyList<string> files;
            if (_source.Directory(parse) is null) files = CheckpointSourceOptions.AtPath(path);
            else
            {
                await using var sweep = await _source.OpenSweepAsync(parse, path, ct);
                files = sweep.Files;
            }
            return await Task.Run(() => Execute(parse, files, ct), ct);
        });
    }

    private int Execute(ParseResult parse, IReadOnlyList<string> files, CancellationToken ct)
    {
        int directions = parse.GetValue(_directions);
        TorchRuntime.SetThreads(parse.GetValue(_threads));
        var dataDir = parse.GetValue(_dataDir);
        var data = new Dictionary<DataSource, Dataset>();
        var packs = new List<InspectedPack>();
        try
        {
            foreach (var file in files)
            {
                ct.ThrowIfCancellationRequested();
                var pack = Inspect(file, dataDir, directions, data);
                packs.Add(pack);
                if (!parse.GetValue(_json)) AnatomyTable.Render(pack);
                else if (files.Count > 1) Output.Info($"inspected {packs.Count} of {files.Count}: {file}");   // the JSON comes at the end
            }
        }
        finally
        {
            foreach (var set in data.Values) set.Dispose();
        }
        if (parse.GetValue(_json))
        {
            if (files.Count == 1) JsonOutput.Write(packs[0]);
            else JsonOutput.Write(new { packs });
        }
        return ExitCodes.Success;
    }

    private static InspectedPack Inspect(string file, string? dataDir, int directions, Dictionary<DataSource, Dataset> loaded)
    {
        var state = CheckpointFile.Read(file);
        try
        {
            var spec = CheckpointPaths.ReadSpec(file, state);
            var source = spec.Data with { Directory = dataDir };
            if (!loaded.TryGetValue(source, out var data)) loaded[source] = data = Load(source, file);
            if (state.DataDigest is { } trained && data.Digest is { } here && trained != here)
                Output.Info($"warning: {file} was trained on other {source.Set} files than those read here: the figures are for these");
            var shape = new MlpShape(data.Features, spec.Width, spec.Depth, data.Classes);
            var weights = state.Tensors.GetValueOrDefault(CheckpointState.ModelTensor);
            if (weights is null || weights.dtype != ScalarType.Float32 || weights.dim() != 2 || weights.shape[0] != spec.PackSize
                || weights.shape[1] != shape.ParameterCount)
                throw new CheckpointCorruptException(file, $"its weights are not the {spec.PackSize} × {shape.ParameterCount} its configuration " +
                    $"({spec.Depth} × {spec.Width} on {source.Set}) makes");
            using var model = new MlpPack(shape, weights);
            var cells = PackInspection.Inspect(model, data.TrainX, data.TrainY, directions);
            return InspectedPack.Of(file, state, spec, data, cells);
        }
        finally
        {
            foreach (var t in state.Tensors.Values) t.Dispose();
        }
    }

    /// <summary>The data the pack trained on, from its set's default place unless --data-dir says where; a checkpoint does
    /// not keep where its files were, so a missing file says so.</summary>
    private static Dataset Load(DataSource source, string file)
    {
        try { return DatasetLoader.Load(source); }
        catch (DataFormatException e) when (source.Directory is null)
        {
            throw new DataFormatException(e.FilePath, $"{e.Problem} (inspecting {file}: give --data-dir where the files it trained on are)", e);
        }
    }
}
