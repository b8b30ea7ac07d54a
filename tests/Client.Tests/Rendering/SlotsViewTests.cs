using GradGuessCluster.Client.Cluster;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>How <c>gradguess slots</c> shows who holds the cluster's slots and who waits.</summary>
public sealed class SlotsViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly ClusterSlots Busy = new(
    [
        new SiloSlotsView("gpu-a", "10.0.0.5:11111",
        [
            new DeviceSlotsView("cuda:0", 2,
            [
                new SlotHolder("study", "p1", true, Now.AddMinutes(-125), null),
                new SlotHolder("study", "p2", true, Now.AddMinutes(-3), "student"),
            ]),
            new DeviceSlotsView("cuda:1", 2, [new SlotHolder("student", "q0", false, Now.AddSeconds(-2), null)]),
        ]),
        new SiloSlotsView("gateway", "10.0.0.6:11111", []),
    ],
    [new SlotWait("student", 1, Now.AddSeconds(-75)), new SlotWait("other", 3, Now.AddSeconds(-20))]);

    [Fact]
    public void Summary_CountsSilosSlotsInUseBySweepAndWaitingSweeps()
    {
        Assert.Equal("2 silos, 3/4 training slots in use (study 2, student 1), 2 sweeps waiting", SlotsView.Summary(Busy));
        Assert.Equal("1 silo, 0/0 training slots in use", SlotsView.Summary(new ClusterSlots([Busy.Silos[1]], [])));
    }

    [Fact]
    public void APriorityOtherThanTheDefault_IsNamedInTheSummaryAndTheWaitingLines()
    {
        var weighted = Busy with { Priorities = new Dictionary<string, int> { ["study"] = 3, ["other"] = 2 } };
        Assert.Equal("2 silos, 3/4 training slots in use (study 2 at priority 3, student 1), 2 sweeps waiting", SlotsView.Summary(weighted));
        Assert.Equal(["waiting: sweep student, 1 ready pack, for 1 min", "waiting: sweep other at priority 2, 3 ready packs, for 20 s"],
            SlotsView.WaitingLines(weighted, Now));
        Assert.Equal(3, weighted.PriorityOf("study"));
        Assert.Equal(1, weighted.PriorityOf("student"));
        Assert.Equal(1, Busy.PriorityOf("study"));
    }

    [Fact]
    public void Table_HasARowPerHolder_FreeSlots_AndCoordinatingSilos()
    {
        var lines = TableLines(Busy);
        Assert.DoesNotContain("memory", lines[0]);   // no silo advertises memory for CPU packs
        Assert.Contains(lines, l => Regex.IsMatch(l, @"gpu-a \(10\.0\.0\.5:11111\)\s+cuda:0\s+2/2\s+study\s+p1\s+training\s+2 h 05 min$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+study\s+p2\s+yielding to student\s+3 min$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+cuda:1\s+1/2\s+student\s+q0\s+starting\s+2 s$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+1 free$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"gateway \(10\.0\.0\.6:11111\)\s+none\s+coordinates only$"));
    }

    [Fact]
    public void Table_ShowsWhatTheCpuPacksHoldOfEachSilosMemoryForThem()
    {
        var cpu = new ClusterSlots(
        [
            new SiloSlotsView("cpu-a", "10.0.0.7:11111",
                [new DeviceSlotsView("cpu", 2, [new SlotHolder("study", "p1", true, Now.AddSeconds(-5), null)], 16L << 30, 453L << 20)]),
            new SiloSlotsView("cpu-b", "10.0.0.8:11111", [new DeviceSlotsView("cpu", 1, [], 8L << 30)]),
            new SiloSlotsView("gpu-a", "10.0.0.5:11111", [new DeviceSlotsView("cuda:0", 1, [])]),
        ], []);
        var lines = TableLines(cpu);
        Assert.Matches(@"silo\s+device\s+slots\s+memory\s+sweep\s+pack\s+state\s+for$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"cpu-a \(10\.0\.0\.7:11111\)\s+cpu\s+1/2\s+453 MiB of 16\.0 GiB\s+study\s+p1\s+training\s+5 s$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"cpu-b \(10\.0\.0\.8:11111\)\s+cpu\s+0/1\s+0 B of 8\.00 GiB\s+free$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"gpu-a \(10\.0\.0\.5:11111\)\s+cuda:0\s+0/1\s+free$"));   // a GPU holds no CPU memory
    }

    [Fact]
    public void EachHolderWithAPace_SaysItsTimeLeft_AndTheWaitingAreToldWhichEndsFirst()
    {
        var ends = new PackEnds(new Dictionary<(string, string), double> { [("study", "p1")] = 3 * 3600 + 600, [("student", "q0")] = 250 });
        var lines = TableLines(Busy, ends);
        Assert.Matches(@"silo\s+device\s+slots\s+sweep\s+pack\s+state\s+for\s+time left$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"\s+study\s+p1\s+training\s+2 h 05 min\s+about 3 h 10 min$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+study\s+p2\s+yielding to student\s+3 min$"));   // no pace yet
        Assert.Contains(lines, l => Regex.IsMatch(l, @"\s+student\s+q0\s+starting\s+2 s\s+about 4 min$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+1 free$"));
        Assert.Equal("first to end: student's pack q0, in about 4 min", SlotsView.FirstToEnd(Busy, ends));

        Assert.Null(SlotsView.FirstToEnd(Busy with { Waiting = [] }, ends));   // nobody waits: nothing to tell
        Assert.Null(SlotsView.FirstToEnd(Busy, new PackEnds(new Dictionary<(string, string), double> { [("gone", "p9")] = 5 })));   // no holder's
        Assert.DoesNotContain("time left", TableLines(Busy)[0]);
    }

    [Fact]
    public void StatusOfAWaitingSweep_PointsAtSlots_ForWhoHoldsThemAndWhen()
    {
        Assert.Equal("waiting: 2 packs wait for a slot: the cluster's 2 are in use, shared with 1 other sweep " +
                     "(gradguess slots shows who holds the slots and when each pack ends)",
            SweepStatusView.WaitingLine("2 packs wait for a slot: the cluster's 2 are in use, shared with 1 other sweep"));
    }

    /// <summary>The table as a console 200 columns wide shows it, without blank lines or trailing spaces.</summary>
    private static List<string> TableLines(ClusterSlots slots, PackEnds? ends = null)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        console.Write(SlotsView.Build(slots, Now, ends ?? PackEnds.None));
        return writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    [Fact]
    public void WaitingLines_NameEachSweep_ItsReadyPacks_AndHowLongItWaited()
    {
        Assert.Equal(["waiting: sweep student, 1 ready pack, for 1 min", "waiting: sweep other, 3 ready packs, for 20 s"],
            SlotsView.WaitingLines(Busy, Now));
    }

    [Fact]
    public void Preemption_SaysAfterHowLongAWaitingSweepTakesASlot_OrThatItIsOff()
    {
        Assert.Equal("preemption: a sweep waiting 1 min takes a slot from one holding at least two more (for their priorities), at that one's next checkpoint or within a watchdog interval",
            SlotsView.Preemption(Busy with { PreemptAfter = TimeSpan.FromMinutes(1) }));
        Assert.Equal("preemption: off (slots change hands only as packs end)", SlotsView.Preemption(Busy));
    }
}
