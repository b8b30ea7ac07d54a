using GradGuessCluster.Grains.Cells;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Sweeps;
using GradGuessCluster.Training.Loop;

namespace GradGuessCluster.Grains.Tests.Infrastructure;

/// <summary>Reference curves (every pack trained straight through, in process) and exact comparison.</summary>
public static class Curves
{
    /// <summary>The ledger at <paramref name="epoch"/> that the coordinator assembles from these curves, cell by cell.</summary>
    public static Dictionary<string, CellEntry> LedgerAt(IReadOnlyList<CellCurve> curves, int epoch) =>
        curves.ToDictionary(c => c.CellId, c => LedgerAtEpoch.Entry(c, epoch));

    public static Dictionary<string, List<EpochRecord>> Uninterrupted(SweepSpec spec, IPackTrainerFactory factory, string device = "cpu")
    {
        var curves = new Dictionary<string, List<EpochRecord>>();
        foreach (var pack in SweepGrid.Expand(spec).Packs)
        {
            var work = pack.ToWork(spec, null);
            using var trainer = factory.Open(PackSpecBuilder.Build(work), null, device);
            foreach (var cell in work.Cells) curves[cell.CellId] = [];
            while (!trainer.IsFinished)
            {
                var metrics = trainer.RunEpoch(CancellationToken.None);
                for (var i = 0; i < metrics.Count; i++)
                    if (metrics[i] is { } m)
                        curves[work.Cells[i].CellId].Add(EpochRecordOf.Metrics(work.Cells[i].CellId, m));
            }
        }
        return curves;
    }

    /// <summary>There is a curve for every cell of the spec, once, and each has each epoch once, 1..n, with numbers
    /// bit-identical to the pack trained straight through.</summary>
    public static void AssertUninterrupted(IReadOnlyCollection<CellCurve> curves, SweepSpec spec, IPackTrainerFactory factory)
    {
        var expected = Uninterrupted(spec, factory);
        Assert.Equal(expected.Keys.Order(), curves.Select(c => c.CellId).Order());
        foreach (var curve in curves) AssertUninterrupted(curve, spec.Epochs, expected);
    }

    /// <summary>One cell's curve has each epoch once, 1..n, with numbers bit-identical to its pack trained straight through.</summary>
    public static void AssertUninterrupted(CellCurve curve, SweepSpec spec, IPackTrainerFactory factory) =>
        AssertUninterrupted(curve, spec.Epochs, Uninterrupted(spec, factory));

    private static void AssertUninterrupted(CellCurve curve, int epochs, Dictionary<string, List<EpochRecord>> expected)
    {
        Assert.True(expected.ContainsKey(curve.CellId), $"cell {curve.CellId} is not in the spec's grid");
        AssertContiguous(curve.Records, epochs, curve.CellId);
        AssertIdentical(expected[curve.CellId], curve.Records, curve.CellId);
    }

    /// <summary>Asserts equal epochs and bit-identical numbers (timings excluded: they are wall-clock).</summary>
    public static void AssertIdentical(IReadOnlyList<EpochRecord> expected, IReadOnlyList<EpochRecord> actual, string cellId)
    {
        Assert.True(expected.Count == actual.Count, $"cell {cellId}: {actual.Count} records, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var where = $"cell {cellId} epoch {e.Epoch}";
            Assert.True(e.Epoch == a.Epoch, $"{where}: got epoch {a.Epoch}");
            Assert.True(Bits(e.TrainLoss) == Bits(a.TrainLoss), $"{where}: train loss {a.TrainLoss} != {e.TrainLoss}");
            Assert.True(Bits(e.TrainAccuracy) == Bits(a.TrainAccuracy), $"{where}: train accuracy {a.TrainAccuracy} != {e.TrainAccuracy}");
            Assert.True(Bits(e.TestAccuracy) == Bits(a.TestAccuracy), $"{where}: test accuracy {a.TestAccuracy} != {e.TestAccuracy}");
            Assert.True(Bits(e.CosineSimilarity) == Bits(a.CosineSimilarity), $"{where}: cosine {a.CosineSimilarity} != {e.CosineSimilarity}");
            Assert.True(Bits(e.GradientProjection) == Bits(a.GradientProjection), $"{where}: projection {a.GradientProjection} != {e.GradientProjection}");
            Assert.True(Bits(e.UpdateNormRatio) == Bits(a.UpdateNormRatio), $"{where}: norm ratio {a.UpdateNormRatio} != {e.UpdateNormRatio}");
            Assert.True(Bits(e.StepCosine) == Bits(a.StepCosine), $"{where}: step cosine {a.StepCosine} != {e.StepCosine}");
            Assert.True(Bits(e.LayerCosine) == Bits(a.LayerCosine), $"{where}: layer cosines {Text(a.LayerCosine)} != {Text(e.LayerCosine)}");
            Assert.True(Bits(e.LayerStepCosine) == Bits(a.LayerStepCosine),
                $"{where}: layer step cosines {Text(a.LayerStepCosine)} != {Text(e.LayerStepCosine)}");
            foreach (var (name, share) in new (string, Func<EpochRecord, double[]?>)[]
                         { ("gradient", r => r.LayerGradientShare), ("update", r => r.LayerUpdateShare), ("step", r => r.LayerStepShare) })
                Assert.True(Bits(share(e)) == Bits(share(a)), $"{where}: layer {name} shares {Text(share(a))} != {Text(share(e))}");
            Assert.True(Bits(e.EffectiveRank) == Bits(a.EffectiveRank), $"{where}: ranks {Text(a.EffectiveRank)} != {Text(e.EffectiveRank)}");
            Assert.True(e.Diverged == a.Diverged, $"{where}: diverged {a.Diverged}");
        }
    }

    /// <summary>Each epoch exactly once, 1..n in order.</summary>
    public static void AssertContiguous(IReadOnlyList<EpochRecord> records, int epochs, string cellId) =>
        Assert.True(records.Select(r => r.Epoch).SequenceEqual(Enumerable.Range(1, epochs)),
            $"cell {cellId}: epochs {string.Join(",", records.Select(r => r.Epoch))}, expected 1..{epochs}");

    // NaN payloads do not survive every storage serializer; any NaN equals any NaN, every other value compares by bits.
    private static long? Bits(double? value) => value is { } v ? Bits(v) : null;
    private static string? Bits(double[]? values) => values is null ? null : string.Join(",", values.Select(Bits));
    private static string Text(double[]? values) => values is null ? "none" : $"[{string.Join(", ", values)}]";
    private static long Bits(double value) => double.IsNaN(value) ? long.MinValue : BitConverter.DoubleToInt64Bits(value);
}
