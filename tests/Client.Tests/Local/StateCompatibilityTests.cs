using System.Text.Json.Nodes;
using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>
/// A state directory written by the build of 2026-11-30 and stopped (SIGTERM) mid-sweep, kept in
/// tests/TestData/state-2026-11-30: its spec, ledger, curve chunks, pack states, slot ledger, registry and checkpoints.
/// This build must read it and resume it from its checkpoint. A renamed state type, a changed storage serializer,
/// checkpoint format or pack fingerprint fails here instead of on a user's disk, where it would turn a sweep's state
/// into "damaged" entries or retrain its packs from the start.
/// </summary>
public sealed class StateCompatibilityTests : IDisposable
{
    private static readonly string Golden = Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "state-2026-11-30");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-compat-" + Guid.NewGuid().ToString("N")[..8]);

    public StateCompatibilityTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void StateOfTheBuildOf20261130_ReadsBack_AndResumesFromItsCheckpoint_ToTheCurvesOfAnUninterruptedRun()
    {
        var old = Path.Combine(_dir, "old");
        Copy(Golden, old);
        var spec = Path.Combine(old, "golden.yaml");

        // As stopped: backprop finished, wt queued again at its checkpoint's epoch.
        var status = CliRunner.Run("status", "golden", "--state-dir", old, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        var cells = JsonNode.Parse(status.Stdout)!["cells"]!.AsArray();
        Assert.Equal(["backprop completed 100", "wt queued 27"],
            cells.Select(c => $"{c!["config"]!["method"]} {c["state"]} {c["epoch"]}"));
        var stored = Rows(CliRunner.Run("export", "golden", "--state-dir", old, "--format", "json"));

        var resumed = CliRunner.Run("local", spec, "--state-dir", old, "--metrics-port", "0", "--cpu-slots", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("sweep golden found in", resumed.Stderr);
        var log = File.ReadAllText(Path.Combine(old, "logs", "gradguess-local.log"));
        Assert.Contains("resuming from its checkpoint at epoch 27", log);
        var fresh = CliRunner.Run("local", spec, "--state-dir", Path.Combine(_dir, "fresh"), "--metrics-port", "0", "--cpu-slots", "1");
        Assert.True(fresh.ExitCode == 0, fresh.Stderr);

        var after = Rows(CliRunner.Run("export", "golden", "--state-dir", old, "--format", "json"));
        var reference = Rows(CliRunner.Run("export", "golden", "--state-dir", Path.Combine(_dir, "fresh"), "--format", "json"));
        Assert.Equal(127, stored.Count);
        Assert.Equal(stored, after.Take(stored.Count));   // backprop's 100 epochs, then wt's first 27, read back as stored
        Assert.Equal(reference.Select(r => (r.Method, r.Epoch)), after.Select(r => (r.Method, r.Epoch)));
        // On CPU a resumed run is bit-identical to an uninterrupted one on the same machine; another CPU's kernels may
        // round differently, so a little room (accuracies are multiples of 1/16384 and 1/256 here).
        Assert.All(reference.Zip(after), pair =>
        {
            Assert.Equal(pair.First.Train, pair.Second.Train, 0.01);
            Assert.Equal(pair.First.Test, pair.Second.Test, 0.02);
            Assert.Equal(pair.First.Loss, pair.Second.Loss, 0.01 * pair.First.Loss);
        });
    }

    private sealed record Row(string Method, int Epoch, double Train, double Test, double Loss);

    /// <summary>The exported rows, in export order (grid order, then epoch).</summary>
    private static List<Row> Rows(CliRunner.Result export)
    {
        Assert.True(export.ExitCode == 0, export.Stderr);
        return JsonNode.Parse(export.Stdout)!.AsArray().Select(r => new Row((string)r!["method"]!, (int)r["epoch"]!,
            (double)r["trainAccuracy"]!, (double)r["testAccuracy"]!, (double)r["trainLoss"]!)).ToList();
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
