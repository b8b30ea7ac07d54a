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
}
