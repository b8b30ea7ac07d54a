using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Silo.Hosting;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary>One host per state directory, whatever .NET's own file locking is set to: DOTNET_SYSTEM_IO_DISABLEFILELOCKING
/// turned off the lock that was the directory's whole guard, and a second host (a `local`, a `delete`) then went on over
/// the first one's files.</summary>
public sealed class StateDirectoryLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-state-lock-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AHeldStateDirectory_RefusesAnotherHost_WithDotnetsFileLockingTurnedOff()
    {
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(Path.Combine(state, "state"));   // a state directory, which delete asks for first
        using (StateDirectoryLock.Acquire(state))
        {
            Assert.True(StateDirectoryLock.IsHeld(state));
            var noDotnetLocks = new Dictionary<string, string?> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };
            var r = CliRunner.Run(TimeSpan.FromMinutes(3), null, noDotnetLocks, "delete", "x", "--state-dir", state, "--yes");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("is in use by another gradguess local or silo", Assert.Single(r.StderrLines));
        }
        Assert.False(StateDirectoryLock.IsHeld(state));   // the lock ends with its holder
    }

    [Fact]
    public void ALocalAndARedisSilo_InOneFolder_DoNotShareACheckpointDirectory()
    {
        // Both default to ./.gradguess/checkpoints, where checkpoints are named by sweep, pack and incarnation only: the
        // two stores' sweeps of one name deleted each other's checkpoints as their packs started.
        Directory.CreateDirectory(_dir);
        var state = Path.Combine(_dir, "state");
        var first = CliRunner.Run("local", LocalSpecs.Write(_dir, "shared", epochs: 1), "--state-dir", state, "--metrics-port", "0");
        Assert.True(first.ExitCode == 0, first.Stderr);

        // Refused before it starts, so no Redis is needed to see it.
        var silo = CliRunner.Run(TimeSpan.FromMinutes(2), null, "silo", "--clustering", "redis", "--storage", "redis",
            "--redis", "127.0.0.1:1", "--state-dir", state, "--http-port", "0");
        Assert.Equal(2, silo.ExitCode);
        var line = Assert.Single(silo.StderrLines);
        Assert.Contains($"--checkpoint-dir {Path.Combine(state, "checkpoints")}: it holds the checkpoints of another store's sweeps (file ../state; this host's: redis service gradguess", line);

        // ... and the other way round: a local in a folder whose checkpoints a Redis silo holds.
        var other = Path.Combine(_dir, "other");
        Directory.CreateDirectory(Path.Combine(other, "checkpoints"));
        File.WriteAllText(Path.Combine(other, "checkpoints", ".store"), "redis service gradguess\n");
        var local = CliRunner.Run("local", LocalSpecs.Write(_dir, "shared2", epochs: 1), "--state-dir", other, "--metrics-port", "0");
        Assert.Equal(2, local.ExitCode);
        Assert.Contains("it holds the checkpoints of another store's sweeps (redis service gradguess; this host's: file ../state", Assert.Single(local.StderrLines));
        Assert.False(Directory.Exists(Path.Combine(other, "state")), "a refused local wrote grain state");
    }
}
