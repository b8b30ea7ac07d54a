using GradGuessCluster.Client.Rendering;

namespace GradGuessCluster.Client.Tests.Rendering;

public sealed class ChangedLineTests
{
    private static readonly DateTime T0 = new(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ALineWhoseFiguresAloneChange_IsPrintedAgainOnlyAfterAMinute_OneWhoseWordsChangeAtOnce()
    {
        var line = new ChangedLine();
        Assert.True(line.Due("pack p0 not started: this machine has 1.21 GiB free", T0));
        Assert.False(line.Due("pack p0 not started: this machine has 1.21 GiB free", T0.AddSeconds(2)));
        Assert.False(line.Due("pack p0 not started: this machine has 1.19 GiB free", T0.AddSeconds(4)));   // the memory of the moment
        Assert.True(line.Due("pack p1 waits for a slot", T0.AddSeconds(6)));                               // other words: at once
        Assert.True(line.Due("pack p2 waits for a slot", T0.AddSeconds(8)));                               // another pack is news
        Assert.True(line.Due("pack p2 waits for a slot: 512 MiB free", T0.AddSeconds(10)));                // new words
        Assert.False(line.Due("pack p2 waits for a slot: 500 MiB free", T0.AddSeconds(12)));               // an amount alone
        Assert.True(line.Due("pack p2 waits for a slot: 480 MiB free", T0.AddSeconds(71)));                // a minute on
        Assert.False(line.Due(null, T0.AddSeconds(72)));
        Assert.True(line.Due("pack p2 waits for a slot: 480 MiB free", T0.AddSeconds(73)));                // said again after it ended
    }
}
