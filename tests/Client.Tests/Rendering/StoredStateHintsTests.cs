using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Storage;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>The line the CLI prints for a failure that reached the top: one line, without embedded stack frames.</summary>
public sealed class StoredStateHintsTests
{
    private const string WithFrames = "Unable to connect to endpoint S127.0.0.1:11111:0. See InnerException\n" +
        " ---> Orleans.Networking.Shared.SocketConnectionException: Unable to connect to 127.0.0.1:11111. Error: ConnectionRefused\n" +
        "   at Orleans.Runtime.Messaging.ConnectionFactory.ConnectAsync(SiloAddress address, CancellationToken cancellationToken) in /_/src/Orleans.Core/Networking/ConnectionFactory.cs:line 142";

    [Fact]
    public void Message_OfAnyFailure_DropsTheStackFrames()
    {
        var line = StoredStateHints.Message(new InvalidOperationException(WithFrames));
        Assert.EndsWith("Unable to connect to 127.0.0.1:11111. Error: ConnectionRefused", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Message_OfADamagedSweepLedger_DropsTheFramesButKeepsTheWayOut()
    {
        var line = StoredStateHints.Message(new StoredStateCorruptException("stored state of gg-sweep/s is damaged\n   at X.Y.Read(String key)"));
        Assert.StartsWith("stored state of gg-sweep/s is damaged; to recover, delete that entry from the store and run the same spec again", line);
    }

    [Fact]
    public void Message_OfADamagedRegistry_SaysTheSweepsAreListedAgain()
    {
        var line = StoredStateHints.Message(new StoredStateCorruptException("state file /st/state/gg-registry/0.registry.state is damaged: empty"));
        Assert.Contains("to recover, delete that entry from the store, then name each sweep once (status NAME", line);
        Assert.DoesNotContain("run the same spec again", line);   // the sweep ledger's way out, not this one
    }
}
