using System.Net;
using GradGuessCluster.Client.Commands;
using GradGuessCluster.Client.Tests.Local;
using GradGuessCluster.Client.Tests.Support;
using GradGuessCluster.Grains.Interfaces.Contracts;

namespace GradGuessCluster.Client.Tests.Cluster;

/// <summary><c>cancel</c> and <c>resume</c> of a sweep they cannot change say so instead of "0 cells cancelled";
/// <c>priority</c> shows and sets a sweep's priority; <c>delete</c> removes it through the cluster.</summary>
public sealed class SweepControlTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gg-control-" + Guid.NewGuid().ToString("N")[..8]);

    public SweepControlTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CancelAndResumeOfACompletedSweep_SayThereIsNothingToDo_AndExitZero()
    {
        var (silo, target) = await LocalProcess.StartSiloAsync(Path.Combine(_dir, "state"));
        using var _ = silo;
        var spec = LocalSpecs.Write(_dir, "done-one", epochs: 1, train: 256, width: 8);

        var submit = CliRunner.Run(TimeSpan.FromMinutes(3), null, ["submit", spec, "--watch", .. target]);
        Assert.True(submit.ExitCode == 0, submit.Stderr);

        var cancel = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["cancel", "done-one", .. target]);
        Assert.Equal(0, cancel.ExitCode);
        Assert.Equal("sweep done-one is completed: nothing to cancel", Assert.Single(cancel.StdoutLines));

        var resume = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["resume", "done-one", .. target]);
        Assert.Equal(0, resume.ExitCode);
        Assert.Equal("sweep done-one is completed: nothing to resume", Assert.Single(resume.StdoutLines));

        // A finished sweep keeps a priority for a resume or an extension; status names one that is not the default.
        var shown = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["priority", "done-one", .. target]);
        Assert.Equal("sweep done-one: priority 1", Assert.Single(shown.StdoutLines));
        var set = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["priority", "done-one", "4", .. target]);
        Assert.Equal("sweep done-one: priority 1 -> 4 (it counts once the sweep runs again; it is completed)", Assert.Single(set.StdoutLines));
        var again = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["submit", spec, "--priority", "4", .. target]);
        Assert.Equal("sweep done-one already exists with this spec (completed); nothing changed", Assert.Single(again.StdoutLines));
        var withPriority = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["status", "done-one", .. target]);
        Assert.Contains("priority: 4 (its weight in the fair share of training slots; the default is 1)", withPriority.StdoutLines);

        // delete through the cluster: the silo removes the sweep, and the name is free.
        var delete = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["delete", "done-one", "--yes", .. target]);
        Assert.True(delete.ExitCode == 0, delete.Stderr);
        Assert.StartsWith("deleted sweep done-one: ", Assert.Single(delete.StdoutLines));
        var status = CliRunner.Run(TimeSpan.FromMinutes(1), null, ["status", "done-one", .. target]);
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("no sweep named 'done-one'", status.Stderr);

        silo.Signal("TERM");
        Assert.Equal(0, silo.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void TheSubmitLine_SaysAPriorityOtherThanTheDefault_AndAChangedOne()
    {
        var created = new SubmitResult("s", true, 8, 4, SweepState.Running);
        Assert.Equal("submitted sweep s: 8 cells in 4 packs", SubmitCommand.Submitted(created));
        Assert.Equal("submitted sweep s: 8 cells in 4 packs, priority 3", SubmitCommand.Submitted(created with { Priority = 3 }));
        var existing = created with { Created = false };
        Assert.Equal("sweep s already exists with this spec (running); nothing changed", SubmitCommand.Submitted(existing with { Priority = 3 }));
        Assert.Equal("sweep s already exists with this spec (running); priority 3 -> 1", SubmitCommand.Submitted(existing with { PriorityBefore = 3 }));
        Assert.Equal("extended sweep s: 2 cells added in 1 packs (8 cells in 4 packs in all); priority 1 -> 2",
            SubmitCommand.Submitted(existing with { AddedCells = 2, AddedPacks = 1, Priority = 2, PriorityBefore = 1 }));
        Assert.Equal("sweep s: maxCells 10000 -> 20000, no cells added",
            SubmitCommand.Submitted(existing with { MaxCellsBefore = 10_000, MaxCells = 20_000 }));
        var longer = existing with { EpochsBefore = 100, Epochs = 300, ReopenedCells = 7 };
        Assert.Equal("extended sweep s: epochs 100 -> 300, 7 completed cells train on from their checkpoints (8 cells in 4 packs in all)",
            SubmitCommand.Submitted(longer));
        Assert.Equal("extended sweep s: epochs 100 -> 300, 7 completed cells train on from their checkpoints; 2 cells added in 1 packs " +
                     "(8 cells in 4 packs in all)", SubmitCommand.Submitted(longer with { AddedCells = 2, AddedPacks = 1 }));
    }

    [Theory]
    [InlineData(SweepState.Completed, CellState.Completed, true)]
    [InlineData(SweepState.Completed, CellState.Failed, false)]    // resume re-queues failed cells of a finished sweep
    [InlineData(SweepState.Cancelled, CellState.Cancelled, false)]
    [InlineData(SweepState.Running, CellState.Running, false)]      // resume restarts packs that should be running
    public void Resume_HasNothingToDoOnlyForACompletedSweepWithoutFailedOrCancelledCells(SweepState state, CellState cell, bool nothing) =>
        Assert.Equal(nothing, ResumeCommand.NothingToResume(Status(state, cell)));

    [Theory]
    [InlineData(SweepState.Completed, true)]
    [InlineData(SweepState.Cancelled, true)]
    [InlineData(SweepState.Running, false)]
    public void Cancel_HasNothingToDoUnlessRunning(SweepState state, bool nothing) =>
        Assert.Equal(nothing, CancelCommand.NothingToCancel(Status(state, CellState.Completed)));

    private static SweepStatus Status(SweepState state, CellState cell) =>
        new("s", state, 1, [new CellStatus("c0", "p", new CellConfig("wt", "sgd", 1e-2, 0), cell, 1, 1, null, null, null, null, null, null)],
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Theory]
    [InlineData(SweepState.Completed, "sweep s is completed: nothing to cancel")]   // it completed after the status read
    [InlineData(SweepState.Cancelled, "sweep s is cancelled: nothing to cancel")]   // another client's cancel came first
    public async Task ACancelThatFoundTheSweepFinishedMeanwhile_SaysSo(SweepState after, string expected)
    {
        var coordinator = FinishedMeanwhile.Create(after);
        Assert.Equal(expected, await new CancelCommand().CountedAsync("s", coordinator, coordinator.CancelAsync, n => $"{n} cells cancelled"));
    }

    /// <summary>A coordinator whose sweep ended between the command's status read and its cancel: nothing to cancel.</summary>
    public class FinishedMeanwhile : System.Reflection.DispatchProxy
    {
        private SweepState _state;

        public static GradGuessCluster.Grains.Interfaces.ISweepCoordinatorGrain Create(SweepState state)
        {
            var proxy = Create<GradGuessCluster.Grains.Interfaces.ISweepCoordinatorGrain, FinishedMeanwhile>();
            ((FinishedMeanwhile)(object)proxy)._state = state;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args) => method?.Name switch
        {
            "CancelAsync" => Task.FromResult(0),
            "GetStatusAsync" => Task.FromResult<SweepStatus?>(new SweepStatus("s", _state, 1, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow)),
            _ => throw new NotSupportedException(method?.Name),
        };
    }
}
