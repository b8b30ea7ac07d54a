using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Bench;

/// <summary>Counts of epochs and runs a bench can never finish are refused before it starts, exit 2. Each command names
/// a .yaml --out too, which is refused after the counts: the code without these bounds refuses that instead of starting a
/// bench of 2^31-1 epochs (or overflowing its rounds).</summary>
public sealed class BenchOptionBoundsTests
{
    private static readonly string[] Bench = ["bench", "--data", "synthetic", "--width", "16", "--depth", "2", "--warmup", "0", "--timed", "1",
                                              "--methods", "backprop", "--batch-sizes", "32", "--out", "not-a-benchmarks-file.yaml"];

    [Theory]
    [InlineData("--warmup", "2147483647", "--warmup must be <= 1000, got 2147483647")]
    [InlineData("--timed", "1001", "--timed must be <= 1000, got 1001")]
    public void Bench_EpochsPastTheBound_AreRefusedBeforeTheBench(string option, string value, string message)
    {
        var r = CliRunner.Run(CliRunner.WithOption(Bench, option, value));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("gradguess: " + message, Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("2147483647")]   // the bench's rounds (one more than the runs) overflowed
    [InlineData("1001")]
    public void BenchStartup_RunsPastTheBound_AreRefusedBeforeTheBench(string runs)
    {
        var r = CliRunner.Run("bench", "startup", "--against", "none", "--runs", runs, "--out", "not-a-benchmarks-file.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"gradguess: --runs must be <= 1000, got {runs}", Assert.Single(r.StderrLines));
    }
}
