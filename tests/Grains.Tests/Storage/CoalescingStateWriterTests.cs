using GradGuessCluster.Grains.Storage;
using Orleans.Storage;

namespace GradGuessCluster.Grains.Tests.Storage;

public sealed class CoalescingStateWriterTests
{
    [Fact]
    public async Task ScheduledWrite_FailingTransiently_IsRetriedUntilItSucceeds()
    {
        int calls = 0, failures = 0;
        var done = new TaskCompletionSource();
        var writer = new CoalescingStateWriter(() =>
        {
            if (++calls <= 2) throw new IOException("disk hiccup");
            done.TrySetResult();
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(10), _ => failures++, onConflict: () => Assert.Fail("not a conflict"));

        writer.ScheduleSave();
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, calls);
        Assert.Equal(2, failures);
    }

    [Fact]
    public async Task ScheduledWrite_HittingAnETagConflict_IsNotRetried_AndReportsTheConflictOnce()
    {
        int calls = 0, conflicts = 0;
        var writer = new CoalescingStateWriter(() =>
        {
            calls++;
            throw new InconsistentStateException("stored ETag moved on", "new", "old");
        }, TimeSpan.FromMilliseconds(10), _ => { }, onConflict: () => conflicts++);

        writer.ScheduleSave();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (conflicts == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the conflict was never reported");
            await Task.Delay(10);
        }
        await Task.Delay(1000);                         // a hundred retry periods: a retry would have written again

        Assert.Equal(1, calls);
        Assert.Equal(1, conflicts);
    }

    [Fact]
    public async Task AwaitedWrite_Failing_ThrowsToItsCaller_AndIsRetriedWithoutAnotherChange()
    {
        int calls = 0;
        var done = new TaskCompletionSource();
        var writer = new CoalescingStateWriter(() =>
        {
            if (++calls == 1) throw new IOException("disk full");
            done.TrySetResult();
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(10), _ => { }, onConflict: () => Assert.Fail("not a conflict"));

        await Assert.ThrowsAsync<IOException>(writer.SaveAsync);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));   // the completion it carried is written after all

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AwaitedWrite_HittingAnETagConflict_ReportsTheConflict()
    {
        int conflicts = 0;
        var writer = new CoalescingStateWriter(() => throw new InconsistentStateException("stored ETag moved on", "new", "old"),
            TimeSpan.FromMilliseconds(10), _ => { }, onConflict: () => conflicts++);

        await Assert.ThrowsAsync<InconsistentStateException>(writer.SaveAsync);

        Assert.Equal(1, conflicts);
    }
}
