using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Storage;
using GradGuessCluster.Training.Loop;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Sweeps;

/// <summary>
/// The room a cell's stored curve takes once it has trained to its last epoch: the records its run stores (accuracies
/// and ranks at evaluated epochs, the cosine figures at epochs with a sampled step), in <see cref="CurveStore"/>'s
/// chunks, serialized as the silos' storage serializes them, each with file storage's header line. The records are
/// built with values shaped like measured ones (float-precision metrics, accuracies as fractions of the set's sizes),
/// so they print as long (an epoch without an evaluation times one in microseconds, or not at all: zeros and nulls are
/// left out). Backprop's cosines are 1 and print short, and a cell that diverges stores less, so the figure errs high;
/// other providers store the same payload.
/// </summary>
public static class CurveFootprint
{
    /// <summary>Orleans' default grain storage serializer, which every provider of the silos uses; built here without a
    /// silo (its converters for Orleans' own types play no part in a curve).</summary>
    public static IGrainStorageSerializer DefaultSerializer { get; } =
        new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(new OrleansJsonSerializerOptions())));

    /// <summary>Bytes of one cell's stored curve after <paramref name="work"/>'s last epoch.</summary>
    public static long BytesPerCell(PackWorkload work, IGrainStorageSerializer? serializer = null)
    {
        serializer ??= DefaultSerializer;
        var bytesOf = new Dictionary<string, long>();   // chunks alike in shape print alike: one serialization each
        long total = 0;
        for (int first = 1; first <= work.Spec.Epochs; first += CurveStore.ChunkSize)
        {
            int last = Math.Min(work.Spec.Epochs, first + CurveStore.ChunkSize - 1);
            var key = $"{first.ToString().Length}:{last.ToString().Length}:" +
                      string.Concat(Enumerable.Range(first, last - first + 1).Select(e => (work.Spec.Evaluates(e) ? 2 : 0) + (work.SamplesCosineIn(e) ? 1 : 0)));
            if (!bytesOf.TryGetValue(key, out var bytes))
                bytesOf[key] = bytes = serializer.Serialize(Chunk(work, first, last)).ToMemory().Length + FileGrainStorage.HeaderBytes;
            total += bytes;
        }
        return total;
    }

    /// <summary>Where file storage rooted at <paramref name="root"/> keeps <paramref name="sweep"/>'s curves.</summary>
    public static string FileDirectory(string root, string sweep) =>
        Path.Combine(StateFileNames.TypeDirectory(root, CurveStore.ChunkTypeName), StateFileNames.Escape(sweep));

    private static CurveChunkState Chunk(PackWorkload work, int first, int last)
    {
        var random = new Random(first);
        int layers = work.Shape.Layers;
        double Metric(double scale = 1) => (float)(random.NextDouble() * scale);
        double Fraction(long of) => random.NextInt64(of + 1) / (double)of;
        double Seconds() => TimeSpan.FromTicks(random.NextInt64(1, 100_000_000)).TotalSeconds;
        double[] Layered(double scale = 1) => [.. Enumerable.Range(0, layers).Select(_ => Metric(scale))];
        var chunk = new CurveChunkState();
        for (int epoch = first; epoch <= last; epoch++)
        {
            bool evaluated = work.Spec.Evaluates(epoch), sampled = work.SamplesCosineIn(epoch);
            chunk.Records.Add(new EpochRecord(new string('0', SweepGrid.IdLength), epoch, Metric(2),
                evaluated ? Fraction(work.Data.TrainCount) : null, evaluated ? Fraction(work.Data.TestCount) : null,
                sampled ? Metric() : null, sampled ? Layered() : null,
                evaluated && work.Spec.EffectiveRank ? Layered(work.Spec.Width) : null,
                Seconds(), evaluated ? Seconds() : TimeSpan.FromTicks(random.Next(30)).TotalSeconds, work.Data.TrainCount, Diverged: false,
                sampled ? Metric(10) : null, sampled ? random.NextDouble() * 10 : null, sampled ? Metric() : null,
                sampled ? Layered() : null, sampled ? Layered() : null, sampled ? Layered() : null, sampled ? Layered() : null));
        }
        return chunk;
    }
}
