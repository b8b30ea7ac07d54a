using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

public class ProgressTableTests
{
    private static readonly string[] Methods = ["backprop", "directional", "activation-perturbation", "activation-mixing", "wt", "downstream"];
    private static readonly string[] Optimizers = ["sgd", "adamw", "stableadamw"];

    [Theory]
    [InlineData(200)]
    [InlineData(120)]
    [InlineData(100)]
    [InlineData(80)]
    public void EveryRow_FitsTheTerminal_WithNamesAndAccuraciesWhole(int width)
    {
        var cells = StudyCells(seeds: 1);
        var lines = RenderLines(new SweepStatus("s", SweepState.Running, 1000, cells, DateTimeOffset.UtcNow, null), width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: '{l}'"));
        foreach (var c in cells)
            Assert.Single(lines, l => l.Contains($" {c.Config.Method} ") && l.Contains($" {c.Config.Optimizer} ")
                                    && l.Contains($"{c.Epoch}/1000") && l.Contains(ResultsTable.Percent(c.TrainAccuracy)));
    }

    [Fact]
    public void DivergedCellLine_SaysItsAccuraciesAreFromTheLastEvaluatedEpoch()
    {
        var cell = new CellStatus("c", "p", new CellConfig("directional", "sgd", 1e-2, 0), CellState.Diverged, 5, 30, 0.188, 0.17, null, null, null, null);
        Assert.Equal("  diverged  directional sgd lr=1e-2 seed=0 at epoch 5/30 (last evaluated: train 18.80%, test 17.00%)", ProgressView.CellLine(cell));
        Assert.EndsWith("at epoch 1/30", ProgressView.CellLine(cell with { Epoch = 1, TrainAccuracy = null, TestAccuracy = null }));
    }

    [Fact]
    public void BelowEightyColumns_MethodNamesAreCut_AndEachCellKeepsOneLine()
    {
        var lines = RenderLines(Status(StudyCells(seeds: 1)), 60);
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length} > 60: '{l}'"));
        // One line per cell (none wrapped onto a second line), each with its epoch count whole.
        var cells = StudyCells(seeds: 1);
        var rows = lines.Where(l => l.Contains("/1000")).ToList();
        Assert.Equal(cells.Count, rows.Count);
        Assert.All(cells.Zip(rows), x => Assert.Contains($" {x.First.Epoch}/1000", x.Second));
        Assert.Contains(rows, r => r.Contains("activation-p…"));
    }

    [Fact]
    public void AWideTerminal_ShowsEveryColumn()
    {
        var lines = RenderLines(Status(StudyCells(seeds: 2)), 200);
        var header = Assert.Single(lines, l => l.Contains("method"));
        foreach (var column in new[] { "optimizer", "seed", "state", "epochs", "time left", "train acc", "test acc", "loss", "where" })
            Assert.Contains(column, header);
        Assert.Contains(lines, l => l.Contains(new string('█', 4)));   // the bar
        Assert.Contains(lines, l => l.Contains("silo-a cuda:1"));
        // Each running pack's time left on its cells' rows, and on no other.
        var running = StudyCells(seeds: 2).Where(c => c.State == CellState.Running).ToList();
        Assert.Equal(running.Count, lines.Count(l => l.Contains("about 13 h 05 min")));
        Assert.All(lines.Where(l => l.Contains("about 13 h 05 min")), l => Assert.Contains(" running ", l));

        var idle = StudyCells(seeds: 2).Select(c => c with { Silo = null, Device = null, SecondsLeft = null }).ToList();
        var idleHeader = Assert.Single(RenderLines(Status(idle), 200), l => l.Contains("method"));
        Assert.DoesNotContain("where", idleHeader);   // nothing to say
        Assert.DoesNotContain("time left", idleHeader);
    }

    [Fact]
    public void ColumnsWithOneValueGoFirst_AndSeedsThatDifferStayLonger()
    {
        var oneSeed = Assert.Single(RenderLines(Status(StudyCells(seeds: 1)), 80), l => l.Contains("method"));
        Assert.DoesNotContain("seed", oneSeed);
        Assert.DoesNotContain("loss", oneSeed);

        var twoSeeds = Assert.Single(RenderLines(Status(StudyCells(seeds: 2)), 120), l => l.Contains("method"));
        Assert.Contains("seed", twoSeeds);
        Assert.DoesNotContain("where", twoSeeds);    // every cell is on "silo-a cuda:1"
    }

    [Fact]
    public void OneSiloForEveryRunningCell_GivesWayBeforeTheTimeLeft_ThoughQueuedCellsAreNowhere()
    {
        // local's table at 100 columns: four cells training on its one silo, four queued.
        var cells = new List<CellStatus>();
        foreach (var (m, running) in new[] { ("wt", true), ("backprop", false) })
        foreach (var lr in new[] { 1e-2, 1e-3 })
        foreach (var seed in new[] { 0, 1 })
            cells.Add(new CellStatus($"c{cells.Count}", m, new CellConfig(m, "adamw", lr, seed), running ? CellState.Running : CellState.Queued,
                running ? 242 : 0, 1500, running ? 0.8667 : null, running ? 0.8516 : null, running ? 0.3412 : null,
                running ? "cpu" : null, running ? "local" : null, null, running ? 240 : null));

        var lines = RenderLines(new SweepStatus("s", SweepState.Running, 1500, cells, DateTimeOffset.UtcNow, null), 100);

        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} > 100: '{l}'"));
        var header = Assert.Single(lines, l => l.Contains("method"));
        Assert.Contains("time left", header);
        Assert.DoesNotContain("where", header);
        Assert.Equal(4, lines.Count(l => l.Contains(" running ") && l.Contains("about 4 min")));
    }

    [Fact]
    public void SeedsThatDiffer_OutlastHeadersAndPadding_SoRowsStayDistinctAtEightyColumns()
    {
        // A small two-seed grid (30 epochs): at 80 columns it fits with short headers and no padding, and without the
        // seed column its two seeds' rows would read the same.
        var cells = new List<CellStatus>();
        foreach (var m in new[] { "backprop", "wt", "directional" })
        foreach (var o in new[] { "adamw", "stable-adamw" })
        foreach (var seed in new[] { 0, 1 })
            cells.Add(new CellStatus($"c{cells.Count}", "p", new CellConfig(m, o, 1e-2, seed), CellState.Completed, 30, 30,
                0.3750, 0.3750, 1.85, null, null, null));
        var lines = RenderLines(new SweepStatus("s", SweepState.Running, 30, cells, DateTimeOffset.UtcNow, null), 80);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} > 80: '{l}'"));
        Assert.Contains("seed", Assert.Single(lines, l => l.Contains("method")));
        var rows = lines.Where(l => l.Contains("30/30")).Select(l => l.Trim()).ToList();
        Assert.Equal(cells.Count, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void ARowsRates_AreListedLargestFirst_ThoughTheGridAddedSomeLater()
    {
        // Grid order as refine leaves it: the grid's rates, then the row's own; rows as the grid first lists them.
        var grid = new (string Method, double Lr, int Seed)[]
            { ("wt", 1e-2, 0), ("wt", 1e-2, 1), ("wt", 1e-4, 0), ("wt", 1e-4, 1), ("backprop", 1e-2, 0), ("backprop", 1e-4, 0), ("wt", 1e-1, 0), ("wt", 3e-3, 0) };
        var cells = grid.Select((g, i) => new CellStatus($"c{i}", "p", new CellConfig(g.Method, "adamw", g.Lr, g.Seed), CellState.Running,
            1, 30, 0.5, 0.5, 1.0, null, null, null)).ToList();

        var rows = RenderLines(Status(cells), 200).Where(l => l.Contains("1/30"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => $"{w[0]} {w[2]} {w[3]}").ToList();

        Assert.Equal(["wt 1e-1 0", "wt 1e-2 0", "wt 1e-2 1", "wt 3e-3 0", "wt 1e-4 0", "wt 1e-4 1", "backprop 1e-2 0", "backprop 1e-4 0"], rows);
    }

    private static SweepStatus Status(IReadOnlyList<CellStatus> cells) => new("s", SweepState.Running, 1000, cells, DateTimeOffset.UtcNow, null);

    /// <summary>The study's grid with the widest values each column can show: 1000-epoch counts, accuracies of 100%, hours left.</summary>
    private static List<CellStatus> StudyCells(int seeds)
    {
        var cells = new List<CellStatus>();
        int i = 0;
        foreach (var m in Methods)
        foreach (var o in Optimizers)
        foreach (var seed in Enumerable.Range(0, seeds))
        {
            var state = (CellState)(i % 5);
            int epoch = i % 3 == 0 ? 1000 : 987 % (i + 7);
            cells.Add(new CellStatus($"c{i}", $"p{i}", new CellConfig(m, o, 1e-3 * (i % 4 + 1), seed), state, epoch, 1000,
                i % 4 == 0 ? 1.0 : 0.8412, 0.8123, 0.4567891, "cuda:1", "silo-a", null,
                state == CellState.Running ? 13 * 3600 + 5 * 60 : null));   // the widest a time left usually is
            i++;
        }
        return cells;
    }

    private static string[] RenderLines(SweepStatus status, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;
        console.Write(ProgressView.Render(status, width));
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }
}
