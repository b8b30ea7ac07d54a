using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary><c>gradguess status</c> without a sweep: each sweep's progress, and its time left while it runs.</summary>
public sealed class SweepListViewTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void List_ShowsProgress_AndATimeLeftColumnOnlyWhenSomeSweepHasOne()
    {
        var done = new SweepListView.Entry("old", SweepState.Completed, Created, 48, 48, null);
        var running = new SweepListView.Entry("big", SweepState.Running, Created.AddHours(1), 310, 1200, 3 * 3600 + 300);
        var unknown = new SweepListView.Entry("gone", SweepState.Running, Created.AddHours(2), null, null, null);

        var lines = Lines(SweepListView.Build([running, done, unknown]));
        Assert.Contains("time left", Assert.Single(lines, l => l.Contains("sweep")));
        var big = Assert.Single(lines, l => l.Contains(" big "));
        Assert.Contains("310/1200 (25%)", big);   // 25.8 %, rounded down as all progress is
        Assert.Contains("about 3 h 05 min", big);
        Assert.DoesNotContain(" left", big);
        Assert.Contains("48/48 (100%)", Assert.Single(lines, l => l.Contains(" old ")));
        Assert.True(lines.ToList().FindIndex(l => l.Contains(" old ")) < lines.ToList().FindIndex(l => l.Contains(" big ")));   // by creation

        Assert.DoesNotContain("time left", Assert.Single(Lines(SweepListView.Build([done])), l => l.Contains("sweep")));
    }

    [Fact]
    public void Entry_TakesTheCoordinatorsStateProgressAndProblem_OrOnlyTheRegistrysWithoutOne()
    {
        var summary = new SweepSummary("s", SweepState.Running, Created);
        var cell = new CellStatus("c", "p", new CellConfig("wt", "adamw", 1e-3, 0), CellState.Completed, 10, 10, null, null, null, null, null, null);
        var status = new SweepStatus("s", SweepState.Completed, 10, [cell], Created, Created);
        Assert.Equal(new SweepListView.Entry("s", SweepState.Completed, Created, 10, 10, null, Priority: 1), SweepListView.Entry.Of(summary, status));
        Assert.Equal(4, SweepListView.Entry.Of(summary, status with { Priority = 4 }).Priority);
        Assert.Equal(new SweepListView.Entry("s", SweepState.Running, Created, null, null, null), SweepListView.Entry.Of(summary, null));
        Assert.Equal("epoch records cannot be stored (disk full)",
            SweepListView.Entry.Of(summary, status with { Problem = "epoch records cannot be stored (disk full)" }).Problem);
    }

    [Fact]
    public void List_HasAPriorityColumnOnlyWhenSomeSweepHasAPriorityOtherThanTheDefault()
    {
        var study = new SweepListView.Entry("study", SweepState.Running, Created, 4, 40, null, Priority: 3);
        var student = new SweepListView.Entry("student", SweepState.Running, Created.AddHours(1), 20, 40, null, Priority: 1);
        var lines = Lines(SweepListView.Build([study, student]));
        Assert.Matches(@"sweep\s+state\s+cell-epochs\s+priority\s+created", Assert.Single(lines, l => l.Contains("sweep")));
        Assert.Matches(@" study\s+running\s+4/40 \(10%\)\s+3\s+2026", Assert.Single(lines, l => l.Contains(" study ")));
        Assert.Matches(@" student\s+running\s+20/40 \(50%\)\s+1\s+2026", Assert.Single(lines, l => l.Contains(" student ")));
        Assert.DoesNotContain("priority", Assert.Single(Lines(SweepListView.Build([student])), l => l.Contains("sweep")));
    }

    [Fact]
    public void List_MarksASweepWithAProblem_AndSaysItInFullBelowTheTable()
    {
        var stuck = new SweepListView.Entry("stuck", SweepState.Running, Created, 5, 40, null, "the sweep's ledger cannot be written (No space left on device); retrying");
        var fine = new SweepListView.Entry("fine", SweepState.Running, Created.AddHours(1), 20, 40, null);

        var lines = Lines(SweepListView.Build([stuck, fine]));

        Assert.Contains("running, problem (below)", Assert.Single(lines, l => l.Contains(" stuck ")));
        Assert.DoesNotContain("problem", Assert.Single(lines, l => l.Contains(" fine ")));
        Assert.Equal(["stuck: problem: the sweep's ledger cannot be written (No space left on device); retrying"],
            SweepListView.ProblemLines([fine, stuck]));
    }

    [Fact]
    public void List_MarksASweepWaitingForSlotsOtherSweepsHold_ButAProblemComesFirst()
    {
        const string note = "2 pack(s) wait for a slot: the cluster's 2 are in use, shared with 1 other sweep(s)";
        var waiting = new SweepListView.Entry("queued", SweepState.Running, Created, 0, 40, null, Waiting: note);
        var both = new SweepListView.Entry("stuck", SweepState.Running, Created.AddHours(1), 0, 40, null, "no space", note);
        var summary = new SweepSummary("queued", SweepState.Running, Created);
        var status = new SweepStatus("queued", SweepState.Running, 10, [], Created, null, Waiting: note);

        var lines = Lines(SweepListView.Build([waiting, both]));

        Assert.Contains("running, waiting for slots", Assert.Single(lines, l => l.Contains(" queued ")));
        Assert.Contains("running, problem (below)", Assert.Single(lines, l => l.Contains(" stuck ")));
        Assert.Equal(note, SweepListView.Entry.Of(summary, status).Waiting);
    }

    private static string[] Lines(Table table)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 120;
        console.Write(table);
        return writer.ToString().Split('\n');
    }
}
