using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A diverged cell's curve ends at its divergence. Its record is stored at once, its end in the ledger only with
/// the next (delayed) ledger write: a silo lost in between leaves the cell running in the ledger, its pack resumes from a
/// checkpoint before the divergence, and a re-run that does not diverge (a GPU's is not bit-exact) reports the epochs
/// after it. Stored after the NaN record, they made the cell complete with a NaN mid-curve.</summary>
public sealed class DivergedCurveEndTests : IDisposable
{
    private const string Cell = "0123456789abcdef";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gg-diverged-end-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static EpochRecord Record(int epoch, bool diverged = false) =>
        new(Cell, epoch, diverged ? double.NaN : 1.0, 0.5, 0.4, null, null, null, 0.1, 0.01, 100, diverged);

    [Fact]
    public async Task CurveStore_StoresNothingAfterADivergedRecord()
    {
        var storage = new FileGrainStorage("test", new FileGrainStorageOptions { RootDirectory = _root }, new JsonTestSerializer(),
            NullLogger<FileGrainStorage>.Instance);
        var store = new CurveStore(storage, "s");

        // In one append: the records past the divergence are left out.
        var accepted = await store.AppendAsync(Cell, [Record(1), Record(2, diverged: true), Record(3)], 0);
        Assert.Equal([1, 2], accepted.Select(r => r.Epoch));
        // In a later one (a re-run that did not diverge), and in a new activation's store, which reads the chunk again.
        Assert.Empty(await store.AppendAsync(Cell, [Record(3), Record(4)], 0));
        Assert.Empty(await new CurveStore(storage, "s").AppendAsync(Cell, [Record(3), Record(4)], 2));

        var curve = await store.ReadAllAsync(Cell);
        Assert.Equal([1, 2], curve.Select(r => r.Epoch));
        Assert.True(curve[^1].Diverged);
    }

    [Fact]
    public async Task ADivergenceStoredButNotInTheLedger_EndsTheCellDiverged_WhenARerunThatDoesNotDivergeReportsOn()
    {
        var spec = TestSpecs.Small("diverged-end", [0.1, 1.0], epochs: 8, packing: PackingMode.Lr) with { CheckpointEvery = 4 };
        var diverging = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20), divergeAtLearningRate: 0.5);   // lr 1.0, epoch 2
        var ledger = Path.Combine(_root, "state", "gg-sweep", spec.Name + ".sweep.state");
        var gate = new EpochGate();
        await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], s => gate.For(s, diverging), _root))
        {
            gate.HoldAfter(EpochGate.AnySilo, 1);
            await first.Sweep(spec.Name).SubmitAsync(spec);
            await first.WaitForAsync(spec.Name, s => s.Cells.All(c => c.Epoch >= 1), TimeSpan.FromSeconds(30), "epoch 1 was not stored");
            await gate.WaitHeldAsync("the pack was not held after epoch 1");
            // The ledger cannot be written from here (a directory where its file was), as if the silo died before the
            // delayed write: epoch 2's divergence is stored in the curve, the cell's end only in the coordinator's memory.
            for (var attempt = 1; ; attempt++)
            {
                File.Move(ledger, ledger + ".aside", overwrite: true);
                try
                {
                    Directory.CreateDirectory(ledger);
                    break;
                }
                catch (IOException) when (File.Exists(ledger) && attempt < 10) { }   // a watchdog write landed in between
            }
            gate.FreezeAfter(EpochGate.AnySilo, 2);   // dies before its first checkpoint (epoch 4)
            gate.Release();
            await first.WaitForAsync(spec.Name, s => s.Cells.Any(c => c.State == CellState.Diverged), TimeSpan.FromSeconds(30),
                "the divergence was not stored");
            await first.Cluster.KillSiloAsync(first.Cluster.Silos.Single());
        }
        Directory.Delete(ledger);
        File.Move(ledger + ".aside", ledger);

        // The pack trains again from epoch 0, and this run diverges nowhere: it reports epochs 3..8 of the diverged cell.
        var calm = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(20));
        await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(1)], _ => calm, _root);
        var done = await second.WaitForFinishAsync(spec.Name, TimeSpan.FromSeconds(60));
        Assert.Equal(SweepState.Completed, done.State);
        var expected = Curves.Uninterrupted(spec, diverging);   // the diverged cell's curve: epochs 1 and 2, diverged at 2
        var divergedCell = expected.Single(kv => kv.Value.Any(r => r.Diverged)).Key;
        Assert.All(done.Cells, c => Assert.Equal(c.CellId == divergedCell ? CellState.Diverged : CellState.Completed, c.State));
        foreach (var curve in await second.Sweep(spec.Name).GetCurvesAsync(null))
            Curves.AssertIdentical(expected[curve.CellId], curve.Records, curve.CellId);
    }
}
