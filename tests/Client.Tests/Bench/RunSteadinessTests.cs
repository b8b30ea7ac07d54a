using GradGuessCluster.Client.Bench;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>A bench whose matmul peak or memory copy rate moved by more than a quarter says so, naming which and how far;
/// a steady one says nothing.</summary>
public sealed class RunSteadinessTests
{
    [Fact]
    public void SteadyRates_SayNothing()
    {
        Assert.Null(RunSteadiness.Note([198.5, 216.4, 209.2], [41.8, 43.2]));   // the quiet run of 2026-12-04 12:27
        Assert.Null(RunSteadiness.Note([200], []));                             // one sample, or none, cannot spread
    }

    [Fact]
    public void AMovedCopyRate_IsNamedWithItsRange_AndASteadyPeakIsNot()
    {
        var note = RunSteadiness.Note([190.2, 216.7], [24.7, 45.2, 34.0]);     // the record of 2026-12-04 13:01
        Assert.Equal("note: this machine's speed moved during the run (memory copy 24.7–45.2 GB/s): rows whose peak or copy column "
            + "reads low ran while something else used the machine; run again when it is quiet before quoting them", note);
    }

    [Fact]
    public void BothMoved_NameBoth()
    {
        var note = RunSteadiness.Note([145.8, 218.3], [30, 40]);
        Assert.Contains("(matmul peak 145.8–218.3 GFLOP/s, memory copy 30.0–40.0 GB/s)", note);
    }

    [Fact]
    public void TheLimit_IsAQuarter()
    {
        Assert.Null(RunSteadiness.Note([100, 125], []));
        Assert.NotNull(RunSteadiness.Note([100, 125.1], []));
    }
}
