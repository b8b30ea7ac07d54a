using GradGuessCluster.Client.Local;
using GradGuessCluster.Client.Planning;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Client.Tests.Planning;

/// <summary>The plan's figure for the stored curves against a sweep's real ones: a <c>local</c> run with file storage,
/// over a chunk boundary, with epochs that are evaluated or sampled and epochs that are neither.</summary>
public sealed class CurveFootprintTests : IDisposable
{
    private const int Epochs = 70;   // two chunks: 64 and 6 epochs
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-curves-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // 256 examples in batches of 64: 4 steps an epoch, so a sample every 6 steps falls in two epochs of three; an
    // evaluation every 4 epochs leaves epochs 3, 6 and 9 with neither.
    private string Spec() => LocalSpecs.Write(_dir, "footprint", Epochs, checkpointEvery: 35, train: 256, width: 8,
        learningRates: "1.0e-3", extra: "evaluateEvery: 4\ndiagnostics: { cosineEvery: 6, effectiveRank: true }");

    [Fact]
    public async Task ThePlansFigure_IsTheStoredCurvesToAFewPerCent_AndItsScheduleIsTheTrainers()
    {
        var specPath = Spec();
        var state = Path.Combine(_dir, "state");
        LocalSpecs.Run(specPath, state);
        var spec = SweepSpecParser.Parse(File.ReadAllText(specPath));
        var plan = SweepPlanner.Build(spec);

        // Per cell: W^T's curve prints as the footprint's records do; backprop's cosines are 1 and print short.
        var grid = SweepGrid.Expand(spec);
        var directory = CurveFootprint.FileDirectory(new LocalHostOptions(state).GrainStateDirectory, spec.Name);
        foreach (var cell in grid.Cells)
        {
            var files = Directory.GetFiles(Path.Combine(directory, cell.CellId), "*.state");
            Assert.Equal(2, files.Length);   // two chunks: epochs 1-64 and 65-70
            long stored = files.Sum(f => new FileInfo(f).Length);
            double ratio = plan.Cost.CurveBytesPerCell / (double)stored;
            var (low, high) = cell.Config.Method == "backprop" ? (1.0, 1.08) : (0.98, 1.02);
            Assert.True(ratio >= low && ratio <= high, $"{cell.Config.Method}: planned {plan.Cost.CurveBytesPerCell} bytes, stored {stored} ({ratio:F4})");
        }
        Assert.Equal(grid.Cells.Count * plan.Cost.CurveBytesPerCell, plan.Cost.CurveBytes);

        // Which epochs hold accuracies, ranks and cosines: the footprint's rules are the trainer's.
        var pack = grid.Packs[0];
        var work = new PackWorkload(PackSpecBuilder.Build(pack.ToWork(spec, incarnation: null)), DataSetCheck.Inspect(spec.Data).Shape!);
        await using var host = await LocalSweepHost.StartReadOnlyAsync(state, CancellationToken.None);
        var curves = await host.Grains.GetGrain<ISweepCoordinatorGrain>(spec.Name).GetCurvesAsync(null);
        foreach (var record in curves.SelectMany(c => c.Records))
        {
            Assert.Equal(work.Spec.Evaluates(record.Epoch), record.TrainAccuracy is not null);
            Assert.Equal(work.Spec.Evaluates(record.Epoch), record.EffectiveRank is not null);
            Assert.Equal(work.SamplesCosineIn(record.Epoch), record.CosineSimilarity is not null);
            Assert.Equal(work.SamplesCosineIn(record.Epoch), record.LayerStepShare is not null);
        }
        Assert.Contains(curves[0].Records, r => r.TrainAccuracy is null && r.CosineSimilarity is null);   // neither, too
    }
}
