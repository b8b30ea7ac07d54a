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
        Description = "A checkpoint file (train --checkpoint's), a directory of them, or with --state-dir a sweep's name",
    };
    private readonly Option<string?> _stateDir = new("--state-dir") { Description = "A local state directory: CHECKPOINT names a sweep there, whose packs' checkpoints are read" };
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
        foreach (var o in new Option[] { _stateDir, _dataDir, _directions, _threads, _json }) Options.Add(o);
        SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(_directions) is var d and < 1) throw new UsageException($"--directions: expected at least 1, got {d}");
            var files = parse.GetValue(_stateDir) is { } state
                ? await SweepCheckpoints.FindAsync(state, parse.GetValue(_path)!, ct)
                : CheckpointsAt(parse.GetValue(_path)!);
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

    private static IReadOnlyList<string> CheckpointsAt(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new UsageException($"CHECKPOINT: no file or directory at {path}");
        var files = Directory.GetFiles(path, "*" + CheckpointFiles.Extension).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new UsageException($"CHECKPOINT: {path} holds no checkpoint (*{CheckpointFiles.Extension}){Below(path)}");
    }

    /// <summary>Where checkpoints lie further down (a state directory, or its checkpoints/ holding one directory per
    /// sweep): said, so that the next try names one.</summary>
    private static string Below(string path)
    {
        // Two levels down at most: a state directory's are in checkpoints/SWEEP, and a large tree is not walked.
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true };
        var holding = Directory.EnumerateDirectories(path, "*", options)
            .Where(d => Directory.EnumerateFiles(d, "*" + CheckpointFiles.Extension, new EnumerationOptions { IgnoreInaccessible = true }).Any())
            .Select(d => Path.GetRelativePath(path, d)).Order(StringComparer.Ordinal).ToList();
        return holding.Count == 0 ? "" : $"; these directories in it hold some: {string.Join(", ", holding.Take(5))}" +
            (holding.Count > 5 ? $" and {holding.Count - 5} more" : "");
    }

    private static InspectedPack Inspect(string file, string? dataDir, int directions, Dictionary<DataSource, Dataset> loaded)
    {
        var state = CheckpointFile.Read(file);
        try
        {
            var spec = ReadSpec(file, state);
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

    private static PackSpec ReadSpec(string file, CheckpointState state)
    {
        if (state.Configuration is null)
            throw new CheckpointCorruptException(file, "it was written before checkpoints kept their pack's configuration: nothing says what its weights are");
        try { return PackFingerprint.Read(state.Configuration, state.Epoch); }
        catch (JsonException e) { throw new CheckpointCorruptException(file, "its configuration cannot be read: " + e.Message, e); }
    }
}
