using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Inspection;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Training.Estimators;
using GradGuessCluster.Training.Optim;

namespace GradGuessCluster.Client.Weights;

/// <summary>The cells <c>weights</c> writes: every cell of the checkpoints named, or of a sweep in a state directory every
/// cell with a checkpoint, the chosen learning rate's cells of each results row (<c>--best</c>), or the cells named
/// (<c>--cell</c>). A cell that diverged, or has no checkpoint yet, is left out and said to be; one named by <c>--cell</c>
/// that cannot be written is an error.</summary>
internal static class WeightsSelection
{
    /// <summary>Every cell of the checkpoint files: a pack of one under its file's name, a larger pack's cells under the
    /// file's name and their own.</summary>
    public static IReadOnlyList<WeightsCell> OfCheckpoints(IReadOnlyList<string> files, CancellationToken ct)
    {
        var cells = new List<WeightsCell>();
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var pack = CheckpointWeights.Read(file);
            var stem = Path.GetFileNameWithoutExtension(file);
            for (int p = 0; p < pack.Spec.PackSize; p++)
            {
                var cell = new WeightsCell(pack, p, stem);
                if (pack.Spec.PackSize > 1) cell = cell with { Stem = $"{stem}-{WeightsCell.SettingsName(cell.Optimizer, cell.LearningRate, cell.Seed)}" };
                if (Writable(cell, named: false)) cells.Add(cell);
            }
        }
        return cells;
    }

    public static async Task<IReadOnlyList<WeightsCell>> OfSweepAsync(ISweepSource source, string sweep, IReadOnlyList<string> files,
        bool best, IReadOnlyList<string> named, CancellationToken ct)
    {
        var status = await source.GetStatusAsync(sweep, ct) ?? throw new UsageException($"no sweep '{sweep}' (deleted while it was read?)");
        var chosen = named.Count > 0 ? Named(status, named)
            : best ? await BestAsync(source, sweep, status, ct)
            : status.Cells;
        var byPack = files.GroupBy(CheckpointFiles.PackIdOf).ToDictionary(g => g.Key, g => g.Last());
        var curves = (await source.GetCurvesAsync(sweep, ct)).ToDictionary(c => c.CellId);
        var packs = new Dictionary<string, CheckpointWeights>();
        var cells = new List<WeightsCell>();
        foreach (var cell in chosen)
        {
            ct.ThrowIfCancellationRequested();
            var config = cell.Config;
            var label = $"cell {cell.CellId} ({WeightsCell.Describe(config.Method, config.Optimizer, config.LearningRate, config.Seed)})";
            if (!byPack.TryGetValue(cell.PackId, out var file))
            {
                Skip(named.Count > 0, $"{label} has no checkpoint yet ({cell.State.ToString().ToLowerInvariant()}): not written");
                continue;
            }
            if (!packs.TryGetValue(cell.PackId, out var pack)) packs[cell.PackId] = pack = CheckpointWeights.Read(file);
            int index = pack.Spec.Cells.ToList().FindIndex(c =>
                OptimizerNames.Name(c.Optimizer.Kind) == config.Optimizer && c.Optimizer.LearningRate == config.LearningRate && c.Seed == config.Seed);
            if (index < 0 || EstimatorNames.Name(pack.Spec.Estimator.Kind) != SpecNames.BaseMethod(config.Method))
                throw new IOException($"{file} is the checkpoint of {label}'s pack but holds no such cell: the state directory is not as its sweep wrote it");
            var record = curves.GetValueOrDefault(cell.CellId)?.Records.LastOrDefault(r => r.Epoch == pack.Epoch);
            var written = new WeightsCell(pack, index, FileName(cell), sweep, cell.CellId, record?.TrainAccuracy, record?.TestAccuracy, config.Method);
            if (!Writable(written, named.Count > 0)) continue;
            if (cell.Epoch > pack.Epoch)
                Output.Info($"{label}: its curve goes to epoch {cell.Epoch}, its last checkpoint is of epoch {pack.Epoch}: those are the weights written");
            cells.Add(written);
        }
        return cells;
    }

    /// <summary>The cells of each results row's chosen learning rate (every seed), under the spec's selection rule.</summary>
    private static async Task<IReadOnlyList<CellStatus>> BestAsync(ISweepSource source, string sweep, SweepStatus status, CancellationToken ct)
    {
        var results = await source.GetResultsAsync(sweep, null, ct) ?? throw new UsageException($"no sweep '{sweep}' (deleted while it was read?)");
        var cells = new List<CellStatus>();
        foreach (var row in results.Rows)
        {
            if (row.BestLearningRate is not { } lr)
            {
                Output.Info($"{row.Method} {row.Optimizer}: no learning rate chosen yet ({row.Note ?? "no result"}): nothing written for it");
                continue;
            }
            cells.AddRange(status.Cells.Where(c => c.Config.Method == row.Method && c.Config.Optimizer == row.Optimizer && c.Config.LearningRate == lr));
        }
        return cells;
    }

    /// <summary>The cells named, each as its file is (METHOD-OPTIMIZER-lrLR-seedSEED), by its id, or by a prefix of its id
    /// that only it has.</summary>
    private static IReadOnlyList<CellStatus> Named(SweepStatus status, IReadOnlyList<string> ids)
    {
        var cells = new List<CellStatus>();
        foreach (var id in ids)
        {
            var matches = status.Cells.Where(c => c.CellId.StartsWith(id, StringComparison.Ordinal)).ToList();
            if (status.Cells.FirstOrDefault(c => c.CellId == id || FileName(c) == id) is { } exact) matches = [exact];
            if (matches.Count == 0)
                throw new UsageException($"--cell {id}: sweep '{status.Name}' has no such cell: name one as METHOD-OPTIMIZER-lrLR-seedSEED " +
                                         $"(e.g. {FileName(status.Cells[0])}) or by its id (status {status.Name} --json, export)");
            if (matches.Count > 1) throw new UsageException($"--cell {id}: {matches.Count} cells of '{status.Name}' start so; give more of the id");
            if (!cells.Contains(matches[0])) cells.Add(matches[0]);
        }
        return cells;
    }

    private static string FileName(CellStatus c) => WeightsCell.NameOf(c.Config.Method, c.Config.Optimizer, c.Config.LearningRate, c.Config.Seed);

    /// <summary>False for a cell that diverged (its weights are not finite, and would load as a model that outputs NaN).</summary>
    private static bool Writable(WeightsCell cell, bool named)
    {
        if (cell.Pack.DivergedIn(cell.Index) is not { } at) return true;
        Skip(named, $"{(cell.CellId is { } id ? "cell " + id : cell.Pack.File)} ({cell.Describe()}) diverged in epoch {at}: its weights are " +
                    "not finite, not written");
        return false;
    }

    private static void Skip(bool named, string why)
    {
        if (named) throw new UsageException("--cell: " + why);
        Output.Info(why);
    }
}
