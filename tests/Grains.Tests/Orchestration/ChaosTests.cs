using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Tests.Infrastructure;
using Orleans.Runtime;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>
/// A seeded random sequence of what users and machines do to a running sweep (cancel and resume, both at once, a
/// resubmission, a silo crashing, a silo leaving, silos joining), at random moments, while a second sweep takes slots
/// from it by preemption. Whatever the sequence, once the sweep is resumed to its end every cell of both has completed
/// with its uninterrupted curve, epoch for epoch, and no device ever held two packs at once. The other orchestration tests each pin one of these events down; this one looks for
/// the orders between them that nobody wrote a test for.
/// </summary>
public sealed class ChaosTests
{
    private static readonly SiloSpec Trainer = SiloSpec.TwoGpus;   // the no-op trainer ignores its device; a GPU is exclusive

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AnySequenceOfDisruptions_EndsWithEveryCellsUninterruptedCurve(int seed)
    {
        var random = new Random(seed);
        var log = new TrainingLog();
        var crash = new EpochGate();
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        await using var cluster = await SweepCluster.StartAsync([SiloSpec.NoTraining, Trainer, Trainer],
            s => crash.For(s, log.For(s, trainer)), later: Trainer, configure: o => o.PreemptAfter = TimeSpan.FromMilliseconds(300));
        var spec = TestSpecs.Twelve("chaos", epochs: 16, checkpointEvery: 3) with { Packing = seed % 2 == 0 ? PackingMode.Lr : PackingMode.None };
        var sweep = cluster.Sweep("chaos");
        var done = new List<string>();
        await sweep.SubmitAsync(spec);
        // A rival submitted into the full cluster: its packs start as the chaos sweep's packs end or yield.
        var rivalSpec = TestSpecs.Small("rival", [0.1, 0.01], epochs: 16);
        await cluster.Sweep("rival").SubmitAsync(rivalSpec);

        try
        {
            for (var step = 0; step < 8; step++)
            {
                await Task.Delay(random.Next(50, 400));
                var training = cluster.Cluster.Silos.Where(s => s.Name != "Silo_0").ToList();
                switch (random.Next(6))
                {
                    case 0:
                        await Retry(() => sweep.CancelAsync());
                        await Task.Delay(random.Next(0, 200));
                        await Retry(() => sweep.ResumeAsync());
                        done.Add("cancel, resume");
                        break;
                    case 1:
                        await Retry(() => Task.WhenAll(sweep.CancelAsync(), sweep.ResumeAsync()));
                        await Retry(() => sweep.ResumeAsync());           // whichever came last, the sweep goes on
                        done.Add("cancel and resume at once");
                        break;
                    case 2:
                        var again = await Retry(() => sweep.SubmitAsync(spec));
                        Assert.False(again.Created, "a resubmission created the sweep anew");
                        done.Add("resubmit");
                        break;
                    case 3:
                    {
                        // A crash: the silo's packs neither report nor checkpoint again. A new silo joins first, so
                        // some silo can always train.
                        await cluster.Cluster.StartAdditionalSiloAsync();
                        var victim = training[random.Next(training.Count)];
                        crash.Freeze(victim.Name);
                        await cluster.Cluster.KillSiloAsync(victim);
                        done.Add($"kill {victim.Name}");
                        break;
                    }
                    case 4:
                    {
                        await cluster.Cluster.StartAdditionalSiloAsync();
                        var leaving = training[random.Next(training.Count)];
                        await cluster.Cluster.StopSiloAsync(leaving);
                        done.Add($"stop {leaving.Name}");
                        break;
                    }
                    default:
                        await cluster.Cluster.StartAdditionalSiloAsync();
                        done.Add("a silo joins");
                        break;
                }
            }
            await cluster.WaitForMetadataAsync();
            await Retry(() => sweep.ResumeAsync());
            var status = await cluster.WaitForFinishAsync("chaos", TimeSpan.FromSeconds(120));

            Assert.Equal(SweepState.Completed, status.State);
            Assert.All(status.Cells, c => Assert.Equal(CellState.Completed, c.State));
            var curves = await Retry(() => sweep.GetCurvesAsync(null));
            Assert.Equal(12, curves.Count);
            Curves.AssertUninterrupted(curves, spec, trainer);
            var rival = await cluster.WaitForFinishAsync("rival", TimeSpan.FromSeconds(60));
            Assert.All(rival.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await Retry(() => cluster.Sweep("rival").GetCurvesAsync(null)), rivalSpec, trainer);
            Assert.Empty(log.Violations);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"seed {seed}, after: {string.Join("; ", done)}", e);
        }
    }

    /// <summary>A call lost with a killed silo (it held the coordinator, or was the client's gateway: a CI run failed
    /// on a ConnectionFailedException) fails or times out; the next one reaches the coordinator's new activation.</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await call(); }
            catch (Exception e) when (attempt < 10 && e is TimeoutException or OrleansException)
            {
                await Task.Delay(200);
            }
        }
    }

    private static Task Retry(Func<Task> call) => Retry(async () => { await call(); return 0; });
}
