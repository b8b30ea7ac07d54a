using System.Text.RegularExpressions;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Training.Runtime;

namespace GradGuessCluster.Client.Tests.Train;

/// <summary>A <c>train</c> resumed under other numerics than its checkpoint was written under (another thread count,
/// another oneMKL path) says so on stderr, naming both; resumed under the same ones it says nothing of them.</summary>
public sealed class ResumeNumericsTests : IDisposable
{
    private static readonly string[] Tiny = ["train", "--data", "synthetic", "--width", "16", "--depth", "2", "--batch-size", "64",
        "--method", "backprop", "--optimizer", "sgd", "--lr", "0.1"];
    private readonly string _dir = Directory.CreateTempSubdirectory("gg-train-numerics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Resume_UnderAnotherThreadCount_SaysBothNumerics_AndUnderTheSameOnesSaysNothing()
    {
        var ckpt = Path.Combine(_dir, "t.ckpt");
        Ok(Train(ckpt, epochs: 1, "--threads", "1"));
        var same = Ok(Train(ckpt, epochs: 2, "--threads", "1"));
        var other = Ok(Train(ckpt, epochs: 3, "--threads", "2"));

        Assert.DoesNotContain(same.StderrLines, l => l.StartsWith("note:", StringComparison.Ordinal));
        var note = Assert.Single(other.StderrLines, l => l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Matches($@"^note: {Regex.Escape(ckpt)} was written under libtorch [^,]+, cpu, 1 thread, [^:]+, and this run computes under "
            + "libtorch [^,]+, cpu, 2 threads, [^:]+: ", note);
        Assert.Contains($"resumed from {ckpt} at epoch 2", other.StderrLines);
    }

    [Fact]
    public void Resume_UnderMklsOtherPath_OnAnAmdCpu_SaysBoth()
    {
        var ckpt = Path.Combine(_dir, "m.ckpt");
        Ok(Train(ckpt, epochs: 1, environment: new() { [MklVendorCheck.Variable] = "keep" }));
        var bypassed = Ok(Train(ckpt, epochs: 2));
        var notes = bypassed.StderrLines.Where(l => l.StartsWith("note:", StringComparison.Ordinal)).ToList();
        if (MklVendorCheck.CpuVendor() == "AuthenticAMD")
            // Other parts of the numerics (subnormals flushed, say) may follow each path.
            Assert.Matches("written under .*, oneMKL code path 0(, [^,:]+)*, and this run computes under .*, oneMKL code path [1-9]", Assert.Single(notes));
        else
            Assert.Empty(notes);   // elsewhere keep and bypass are one path
    }

    /// <summary>A checkpoint written keeping subnormals (as builds before the flush did) resumes with a note under the
    /// default, and without one when kept again.</summary>
    [Fact]
    public void Resume_OfACheckpointWrittenKeepingSubnormals_SaysTheyAreFlushedNow()
    {
        var ckpt = Path.Combine(_dir, "s.ckpt");
        var keep = new Dictionary<string, string?> { [SubnormalFlush.Variable] = "keep" };
        Ok(Train(ckpt, epochs: 1, keep));
        var kept = Ok(Train(ckpt, epochs: 2, keep));
        var flushed = Ok(Train(ckpt, epochs: 3));

        Assert.DoesNotContain(kept.StderrLines, l => l.StartsWith("note:", StringComparison.Ordinal));
        var note = Assert.Single(flushed.StderrLines, l => l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Matches(@"was written under libtorch [^:]*, oneMKL code path \d+, and this run computes under libtorch [^:]*, subnormals flushed: ", note);
    }

    [Fact]
    public void AnUnknownSubnormalsValue_ExitsTwoNamingTheVariable()
    {
        var r = Train(Path.Combine(_dir, "u.ckpt"), epochs: 1, new Dictionary<string, string?> { [SubnormalFlush.Variable] = "off" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("GRADGUESS_SUBNORMALS=off: expected 'flush' (the default) or 'keep'", r.Stderr);
    }

    private static CliRunner.Result Ok(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private static CliRunner.Result Train(string checkpoint, int epochs, params string[] more) => Train(checkpoint, epochs, null, more);

    private static CliRunner.Result Train(string checkpoint, int epochs, Dictionary<string, string?>? environment, params string[] more) =>
        CliRunner.Run(TimeSpan.FromMinutes(1), null, environment, [.. Tiny, "--epochs", epochs.ToString(), "--checkpoint", checkpoint, .. more]);
}
