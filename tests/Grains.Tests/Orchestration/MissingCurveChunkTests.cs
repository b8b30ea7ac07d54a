using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A curve chunk file moved away from a finished sweep: the read of a curve stops at the first missing chunk,
/// so export and plot once wrote that cell's curve cut short (or, with every chunk gone, left the cell out) and exited
/// 0, while status still showed all its epochs. The curves call now reports such a cell as unreadable, like a damaged
/// chunk, and keeps the whole cells.</summary>
public sealed class MissingCurveChunkTests
{
    private const int Epochs = 2 * CurveStore.ChunkSize + 2;   // three chunks: one can go missing in the middle

    [Fact]
    public async Task CurveMissingAChunk_IsReportedWithTheEpochsItLacks_AndTheOtherCellsAreWhole()
    {
        var spec = TestSpecs.Small("gone", [0.1, 0.01, 0.001], epochs: Epochs);
        var directory = Path.Combine(Path.GetTempPath(), "gg-gone-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            List<string> cells;
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(3)], _ => new NoOpPackTrainerFactory(), directory))
            {
                await first.Sweep("gone").SubmitAsync(spec);
                var done = await first.WaitForAsync("gone", s => s.State == SweepState.Completed, TimeSpan.FromSeconds(60), "did not finish");
                cells = done.Cells.Select(c => c.CellId).Order().ToList();
            }
            var curves = Path.Combine(directory, "state", "gg-curve", "gone");
            File.Delete(Path.Combine(curves, cells[0], "1.curve.state"));   // the middle chunk: epochs 65 to 128
            Directory.Delete(Path.Combine(curves, cells[1]), recursive: true);   // every chunk

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(3)], _ => new NoOpPackTrainerFactory(), directory);
            var read = (await second.Sweep("gone").GetCurvesAsync(null)).ToDictionary(c => c.CellId);

            var cut = read[cells[0]];
            Assert.Empty(cut.Records);
            Assert.Contains($"reads to epoch {CurveStore.ChunkSize} of the {Epochs} stored", cut.Unreadable);
            Assert.Contains($"the chunk after epoch {CurveStore.ChunkSize} is missing", cut.Unreadable);
            Assert.Contains($"reads to epoch 0 of the {Epochs} stored", read[cells[1]].Unreadable);
            Assert.Null(read[cells[2]].Unreadable);
            Curves.AssertContiguous(read[cells[2]].Records, Epochs, cells[2]);

            // Results at an epoch read every curve: they name the first cell that cannot be read. The final ones read the
            // ledger's summaries, and still rank; an epoch the sweep does not train is refused before anything is read.
            var atEpoch = SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, 3);
            var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => second.Sweep("gone").GetResultsAsync(atEpoch));
            Assert.Contains("results at epoch 3 read every cell's curve, and cell ", refused.Message);
            Assert.Contains("reads to epoch", refused.Message);
            Assert.NotNull(Assert.Single((await second.Sweep("gone").GetResultsAsync(null))!.Rows).BestLearningRate);
            // A window reads every curve too, and says so in its own words.
            var windowed = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => second.Sweep("gone").GetResultsAsync(new SelectionSpec(Window: 2)));
            Assert.Contains($"results averaged over 2 evaluations to epoch {Epochs} read every cell's curve, and cell ", windowed.Message);
            var past = SelectionSpec.AtEpoch(SelectionMetric.TrainAccuracy, Epochs + 1);
            Assert.Contains($"trains epochs 1 to {Epochs}",
                (await Assert.ThrowsAnyAsync<ArgumentException>(() => second.Sweep("gone").GetResultsAsync(past))).Message);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
