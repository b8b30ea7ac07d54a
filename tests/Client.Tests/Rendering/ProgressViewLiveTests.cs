using System.Runtime.CompilerServices;
using GradGuessCluster.Client.Rendering;
using GradGuessCluster.Grains.Interfaces.Contracts;
using Spectre.Console;

namespace GradGuessCluster.Client.Tests.Rendering;

/// <summary>On a terminal, an outage of the cluster is said inside the live view: written to stderr under it (as it
/// once was), the line was drawn over by the view's next redraw and left the table's frame torn.</summary>
public sealed class ProgressViewLiveTests
{
    private const string Outage = "waiting for the cluster: the silo went away";

    private static SweepStatus Status(int epoch, SweepState state = SweepState.Running) => new("s", state, 10,
        [new CellStatus("c0", "p0", new CellConfig("wt", "adamw", 1e-3, 0), state == SweepState.Completed ? CellState.Completed : CellState.Running,
            epoch, 10, 0.5, 0.4, null, "cpu", "silo-a", null)], DateTimeOffset.UtcNow, null);

    private static async IAsyncEnumerable<SweepStatus> WithOutage(Action<string> onProblem, [EnumeratorCancellation] CancellationToken ct = default)
    {
        yield return Status(3);
        await Task.Yield();
        onProblem(Outage);
        yield return Status(10, SweepState.Completed);
    }

    private static SweepStatus TwoRows(CellState backprop, CellState wt, SweepState state = SweepState.Running) => new("s", state, 10,
        [
            new CellStatus("c0", "p0", new CellConfig("backprop", "sgd", 1e-1, 0), backprop, 10, 10, 0.9, 0.8, null, "cpu", "silo-a", null),
            new CellStatus("c1", "p1", new CellConfig("wt", "sgd", 1e-1, 0), wt, 10, 10, 0.7, 0.6, null, "cpu", "silo-a", null),
        ], DateTimeOffset.UtcNow, null);

    /// <summary>An interactive console, as the live view needs, writing into <paramref name="writer"/>.</summary>
    private static IAnsiConsole LiveConsole(StringWriter writer, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = width;
        return console;
    }

    private static async IAsyncEnumerable<SweepStatus> RowByRow(Action<string> onProblem, [EnumeratorCancellation] CancellationToken ct = default)
    {
        yield return TwoRows(CellState.Running, CellState.Queued);
        await Task.Yield();
        yield return TwoRows(CellState.Completed, CellState.Running);
        yield return TwoRows(CellState.Completed, CellState.Completed, SweepState.Completed);
    }

    [Fact]
    public async Task ARowThatBecameFinal_IsSaidUnderTheTable_WithItsPick_AndTheRowThatEndsWithTheSweepIsNot()
    {
        var writer = new StringWriter();
        var console = LiveConsole(writer, 160);
        var backprop = new ResultRow("backprop", "sgd", 1e-1, 0.9, 0.8, true, 1, 1, null);
        var wt = new ResultRow("wt", "sgd", 1e-1, 0.7, 0.6, true, 1, 1, null);
        int asked = 0;
        Task<SweepResults?> Results()
        {
            asked++;
            return Task.FromResult<SweepResults?>(new SweepResults("s", SweepState.Running, new SelectionSpec(), [backprop, wt]));
        }

        await ProgressView.LiveAsync(console, onProblem => RowByRow(onProblem), CancellationToken.None, Results);

        var text = writer.ToString();
        Assert.Contains(DecidedRows.Line(backprop), text);
        Assert.DoesNotContain("decided   wt", text);
        Assert.Equal(1, asked);   // once, when backprop's row ended: not on every redraw
    }

    [Fact]
    public async Task AnOutage_IsShownInTheView_UntilTheNextStatus()
    {
        var writer = new StringWriter();
        var console = LiveConsole(writer, 120);

        var last = await ProgressView.LiveAsync(console, onProblem => WithOutage(onProblem), CancellationToken.None);

        Assert.Equal(SweepState.Completed, last!.State);
        var text = writer.ToString();
        var notice = text.LastIndexOf(Outage + " (the table is as last seen)", StringComparison.Ordinal);
        Assert.True(notice >= 0, text);
        // The view drawn with the notice is the last status seen: the latest table before it shows 3 of 10 epochs.
        var seen = text.LastIndexOf("/10 epochs", notice, StringComparison.Ordinal);
        Assert.True(seen >= 1 && text[seen - 1] == '3', "the notice is drawn with the last status seen");
        Assert.True(text.LastIndexOf("sweep s completed", StringComparison.Ordinal) > notice, "the next status redraws the view without it");
    }
}
