using System.Reflection;
using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Grains.Interfaces;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary>How <c>watch</c> reports a silo that is down: once per outage, one line, no stack frames.</summary>
public sealed class SweepPollingTests
{
    // The shape of Orleans' connection failure message: the inner exception's trace is part of the message.
    private const string OrleansMessage = "Unable to connect to endpoint S127.0.0.1:11111:0. See InnerException\n" +
        " ---> Orleans.Networking.Shared.SocketConnectionException: Unable to connect to 127.0.0.1:11111. Error: ConnectionRefused\n" +
        "   at Orleans.Runtime.Messaging.ConnectionFactory.ConnectAsync(SiloAddress address, CancellationToken cancellationToken) in /_/src/Orleans.Core/Networking/ConnectionFactory.cs:line 142\n" +
        "   --- End of inner exception stack trace ---";

    [Fact]
    public void OneLine_CutsTheStackFramesOffAnOrleansMessage() =>
        Assert.Equal("Unable to connect to endpoint S127.0.0.1:11111:0. See InnerException ---> " +
            "Orleans.Networking.Shared.SocketConnectionException: Unable to connect to 127.0.0.1:11111. Error: ConnectionRefused",
            Failures.OneLine(OrleansMessage));

    [Fact]
    public void OneLine_KeepsAMessageWithoutFrames() =>
        Assert.Equal("the spec says: at most 3 seeds", Failures.OneLine("the spec says:\n at most 3 seeds"));

    [Fact]
    public async Task FollowAsync_ReportsAnOutageOnceWithoutFrames()
    {
        var coordinator = FlakyCoordinator.Create(failures: 3);
        var problems = new List<string>();

        var statuses = await SweepPolling.FollowAsync(coordinator, "s", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1),
            problems.Add, CancellationToken.None).ToListAsync();

        Assert.Single(statuses);
        var problem = Assert.Single(problems);
        Assert.StartsWith("waiting for the cluster: Unable to connect", problem);
        Assert.DoesNotContain(" at Orleans", problem);
    }

    [Fact]
    public async Task FollowAsync_RidesOutACallTheClusterCancelled()
    {
        // A CI run's watch ended "gradguess: cancelled" right after a silo was killed: a request pending on the dead
        // gateway's connection ends as cancelled, though nobody cancelled the watch.
        var coordinator = FlakyCoordinator.Create(failures: 2, failure: () => new TaskCanceledException("the request was cancelled"));
        var problems = new List<string>();

        var statuses = await SweepPolling.FollowAsync(coordinator, "s", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1),
            problems.Add, CancellationToken.None).ToListAsync();

        Assert.Equal(SweepState.Completed, Assert.Single(statuses).State);
        Assert.Equal("waiting for the cluster: the request was cancelled", Assert.Single(problems));
    }

    [Fact]
    public async Task FollowAsync_MentionsALongOutageAgainEveryHalfMinute_AndGivesUpAtItsLimit()
    {
        // Each poll reads the clock once; this one moves 10 s a read: failures at 10, 20, ... s.
        var problems = new List<string>();
        var statuses = await SweepPolling.FollowAsync(FlakyCoordinator.Create(failures: 5), "s", TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMinutes(1), problems.Add, CancellationToken.None, new SteppingClock(TimeSpan.FromSeconds(10))).ToListAsync();
        Assert.Single(statuses);
        Assert.Equal(2, problems.Count);   // at the start (10 s), and 30 s later (40 s); not at 20, 30 or 50 s
        Assert.StartsWith("still waiting for the cluster after 30 s (giving up after 60 s): Unable to connect", problems[1]);

        var lost = await Assert.ThrowsAnyAsync<Exception>(async () => await SweepPolling.FollowAsync(FlakyCoordinator.Create(failures: 100), "s",
            TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), _ => { }, CancellationToken.None, new SteppingClock(TimeSpan.FromSeconds(10))).ToListAsync());
        Assert.StartsWith("lost the cluster while watching s", lost.Message);
    }

    [Fact]
    public async Task FollowAsync_ADamagedStoredState_IsNoOutage_AndEndsTheWatchAtOnce()
    {
        // Waited out as an outage, it said "waiting for the cluster" for two minutes, then "lost the cluster" (exit 1),
        // where the damaged file and its way out are the error to give (exit 2).
        var problems = new List<string>();
        var damaged = await Assert.ThrowsAsync<GradGuessCluster.Grains.Storage.StoredStateCorruptException>(async () =>
            await SweepPolling.FollowAsync(FlakyCoordinator.Create(failures: 3, failure: () => new GradGuessCluster.Grains.Storage.StoredStateCorruptException("state file x is damaged")),
                "s", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(2), problems.Add, CancellationToken.None).ToListAsync());
        Assert.Equal("state file x is damaged", damaged.Message);
        Assert.Empty(problems);
    }

    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => _now += step;
    }

    [Fact]
    public async Task FollowAsync_StopsWhenItsOwnTokenIsCancelled()
    {
        var coordinator = FlakyCoordinator.Create(failures: int.MaxValue, failure: () => new TaskCanceledException("stopped"));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await SweepPolling.FollowAsync(coordinator, "s", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), _ => { }, cancel.Token)
                .ToListAsync());
    }

    [Fact]
    public async Task FollowAsync_ASweepDeletedWhileWatched_IsSaidSo_NotTakenForAWrongName()
    {
        // Another client's cancel and delete between two polls: "no sweep named 's'" (exit 2) blamed the user's argument.
        var running = new SweepStatus("s", SweepState.Running, 1, [], DateTimeOffset.UtcNow, null);
        var statuses = new List<SweepStatus>();
        var deleted = await Assert.ThrowsAsync<SweepDeletedException>(async () =>
        {
            await foreach (var status in SweepPolling.FollowAsync(ScriptedCoordinator.Create(running, null), "s", TimeSpan.FromMilliseconds(1),
                               TimeSpan.FromMinutes(1), _ => { }, CancellationToken.None))
                statuses.Add(status);
        });
        Assert.Single(statuses);
        Assert.Equal("sweep 's' was deleted while watched (by another client)", deleted.Message);
        Assert.Equal(1, ExitCodes.For(deleted));

        var never = await Assert.ThrowsAsync<UsageException>(async () => await SweepPolling.FollowAsync(ScriptedCoordinator.Create([null]), "s",
            TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), _ => { }, CancellationToken.None).ToListAsync());
        Assert.Equal("no sweep named 's'", never.Message);
    }

    /// <summary>A coordinator whose status calls answer the given statuses in turn (null: no such sweep).</summary>
    public class ScriptedCoordinator : DispatchProxy
    {
        private Queue<SweepStatus?> _answers = new();

        public static ISweepCoordinatorGrain Create(params SweepStatus?[] answers)
        {
            var proxy = Create<ISweepCoordinatorGrain, ScriptedCoordinator>();
            ((ScriptedCoordinator)(object)proxy)._answers = new Queue<SweepStatus?>(answers);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args) =>
            method?.Name == nameof(ISweepCoordinatorGrain.GetStatusAsync) ? Task.FromResult(_answers.Dequeue()) : throw new NotSupportedException(method?.Name);
    }

    /// <summary>A coordinator whose status calls fail <c>failures</c> times, then report a completed sweep.</summary>
    public class FlakyCoordinator : DispatchProxy
    {
        private int _failures;
        private Func<Exception> _failure = () => new InvalidOperationException(OrleansMessage);

        public static ISweepCoordinatorGrain Create(int failures, Func<Exception>? failure = null)
        {
            var proxy = Create<ISweepCoordinatorGrain, FlakyCoordinator>();
            var flaky = (FlakyCoordinator)(object)proxy;
            flaky._failures = failures;
            if (failure is not null) flaky._failure = failure;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method?.Name != nameof(ISweepCoordinatorGrain.GetStatusAsync)) throw new NotSupportedException(method?.Name);
            if (_failures-- > 0) return Task.FromException<SweepStatus?>(_failure());
            return Task.FromResult<SweepStatus?>(new SweepStatus("s", SweepState.Completed, 1, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        }
    }
}
