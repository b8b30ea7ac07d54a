using GradGuessCluster.Grains.Bench;
using GradGuessCluster.Grains.Interfaces.Contracts;
using GradGuessCluster.Grains.Interfaces.Validation;
using GradGuessCluster.Grains.Tests.Infrastructure;

namespace GradGuessCluster.Grains.Tests.Orchestration;

/// <summary>A silo that resumes no sweep by itself (<c>gradguess local</c>'s) trains an interrupted sweep only once it is
/// submitted again: reading it (local's preflight does, before its submit) restarted its packs, even where the submit
/// then refused a changed spec.</summary>
public sealed class NoSelfResumeTests
{
    [Fact]
    public async Task AnInterruptedSweepThatIsOnlyRead_TrainsNothing_UntilItsSpecIsSubmittedAgain()
    {
        var trainer = new NoOpPackTrainerFactory(TimeSpan.FromMilliseconds(40));
        var spec = TestSpecs.Small("held", [0.1, 0.01], epochs: 12);
        var directory = Path.Combine(Path.GetTempPath(), "gg-held-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var freeze = new EpochGate();
            await using (var first = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], s => freeze.For(s, trainer), directory))
            {
                var silo = first.Cluster.Silos.Single();
                freeze.FreezeAfter(silo.Name, 3);   // interrupted mid-curve, as a killed local run
                await first.Sweep("held").SubmitAsync(spec);
                await first.WaitForAsync("held", s => s.Cells.All(c => c.Epoch >= 3), TimeSpan.FromSeconds(30), "did not get going");
                await first.Cluster.KillSiloAsync(silo);
            }
            var opened = trainer.Opened;

            await using var second = await SweepCluster.StartAsync([SiloSpec.Cpu(2)], _ => trainer, directory, configure: o => o.ResumeSweeps = false);
            var read = await second.Sweep("held").GetStatusAsync();
            Assert.Equal(SweepState.Running, read!.State);
            await Assert.ThrowsAsync<SpecValidationException>(() => second.Sweep("held").SubmitAsync(spec with { Epochs = 20 }));
            await Task.Delay(TimeSpan.FromSeconds(1.5));   // several watchdog intervals (0.5 s in these tests)
            Assert.Equal(opened, trainer.Opened);

            await second.Sweep("held").SubmitAsync(spec);
            var done = await second.WaitForFinishAsync("held", TimeSpan.FromSeconds(60));
            Assert.All(done.Cells, c => Assert.Equal(CellState.Completed, c.State));
            Curves.AssertUninterrupted(await second.Sweep("held").GetCurvesAsync(null), spec, trainer);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
