using GradGuessCluster.Client.Tests.Support;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>The offline readers (status, results, export, plot --state-dir) hold no lock on the directory they read, so
/// they leave what they find: a temporary file of a write under way belongs to the run writing it (one stopped with
/// Ctrl-Z for longer than the ten minutes after which a writer takes such a file for a killed write's leftover).</summary>
public sealed class ReadOnlyHostTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-readonly-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnOfflineRead_LeavesAnOldTemporaryFileOfTheState_WhichAHostHoldingTheLockRemoves()
    {
        DirectoryCopy.Copy(Path.Combine(LocalSpecs.RepoRoot, "tests", "TestData", "state-2026-11-30"), _dir);
        var temp = Path.Combine(_dir, "state", "gg-sweep", ".golden.sweep.state.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(temp, "a write under way");
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddHours(-1));

        var log = Path.Combine(_dir, "logs", "gradguess-local.log");
        var logged = File.Exists(log) ? File.ReadAllText(log) : null;
        foreach (var verb in new[] { "status", "results" })
        {
            var read = CliRunner.Run(verb, "golden", "--state-dir", _dir);
            Assert.True(read.ExitCode == 0, read.Stderr);
            Assert.True(File.Exists(temp), $"{verb} removed another process's temporary file");
            // Nor does it write into the log of the run that may hold the directory (its silo start read as that run's).
            Assert.Equal(logged, File.Exists(log) ? File.ReadAllText(log) : null);
        }

        // A host that holds the directory's lock (here a delete's) takes it for a killed write's leftover.
        var delete = CliRunner.Run("delete", "golden", "--state-dir", _dir, "--yes");
        Assert.True(delete.ExitCode == 0, delete.Stderr);
        Assert.False(File.Exists(temp));
    }
}
