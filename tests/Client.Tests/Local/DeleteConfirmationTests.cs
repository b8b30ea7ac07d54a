using GradGuessCluster.Client.Commands;

namespace GradGuessCluster.Client.Tests.Local;

/// <summary><c>delete</c>'s [y/N] question ends at Ctrl-C (the command's token) as not confirmed: a "y" typed after it
/// is never read. (The signal's way to the token is LocalInterruptionTests' concern; asking needs a terminal.)</summary>
public sealed class DeleteConfirmationTests
{
    [Fact]
    public async Task Cancelled_WhileWaitingForTheAnswer_IsNotConfirmed_EvenIfYesFollows()
    {
        using var typed = new SemaphoreSlim(0);
        using var cancel = new CancellationTokenSource();
        var asking = Task.Run(() => DeleteCommand.ConfirmAsync("s", "completed, 4 cells", new TypedLater(typed, "y"), cancel.Token));
        try
        {
            cancel.Cancel();
            Assert.True(await Task.WhenAny(asking, Task.Delay(TimeSpan.FromSeconds(10))) == asking, "the question ignored the cancellation");
            Assert.False(await asking);
        }
        finally { typed.Release(); }   // the reader answers "y" only now
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("n", false)]
    [InlineData(null, false)]   // end of input
    public async Task Answer_DecidesWhenNotCancelled(string? answer, bool confirmed) =>
        Assert.Equal(confirmed, await DeleteCommand.ConfirmAsync("s", "completed", new StringReader(answer ?? ""), CancellationToken.None));

    /// <summary>A terminal on which the user types <paramref name="line"/> once <paramref name="typed"/> is released.</summary>
    private sealed class TypedLater(SemaphoreSlim typed, string line) : TextReader
    {
        public override string? ReadLine()
        {
            typed.Wait();
            return line;
        }
    }
}
