using GradGuessCluster.Grains.Cells;

namespace GradGuessCluster.Grains.Tests.Cells;

/// <summary>When a training pack asks the slot ledger whether to yield: at its checkpoints, between them once an interval
/// has passed, never when it would end within the preemption wait anyway, and never with preemption off.</summary>
public sealed class YieldAsksTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1), Epoch = TimeSpan.FromSeconds(2);

    [Fact]
    public void BetweenCheckpoints_APackAsksOnceTheIntervalHasPassed_AtCheckpointsAlways()
    {
        var hourly = new YieldAsks(TimeSpan.FromHours(1), Minute);
        Assert.False(hourly.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
        Assert.True(hourly.Due(atCheckpoint: true, epochsLeft: 1000, Epoch));
        Assert.False(hourly.Due(atCheckpoint: false, epochsLeft: 999, Epoch));
        var always = new YieldAsks(TimeSpan.Zero, Minute);
        Assert.True(always.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
        Assert.True(always.Due(atCheckpoint: false, epochsLeft: 999, Epoch));
    }

    [Fact]
    public void BetweenCheckpoints_TheIntervalRunsFromTheLastAsk_WhereverItWas()
    {
        var clock = new HandClock();
        var asks = new YieldAsks(TimeSpan.FromSeconds(10), Minute, clock);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(asks.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
        clock.Advance(TimeSpan.FromSeconds(6));   // 12 s since the start, 6 s since that refusal: a refusal does not restart it
        Assert.True(asks.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(asks.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));   // 9 s since the ask
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(asks.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(asks.Due(atCheckpoint: true, epochsLeft: 1000, Epoch));     // at a checkpoint always, and it restarts the interval
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(asks.Due(atCheckpoint: false, epochsLeft: 1000, Epoch));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class HandClock : TimeProvider
    {
        private long _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }

    [Fact]
    public void APackEndingWithinThePreemptionWaitAnyway_DoesNotAsk_NorOneWithPreemptionOff()
    {
        var asks = new YieldAsks(TimeSpan.Zero, Minute);
        Assert.False(asks.Due(atCheckpoint: true, epochsLeft: 29, Epoch));   // 58 s left
        Assert.True(asks.Due(atCheckpoint: true, epochsLeft: 30, Epoch));
        Assert.False(asks.Due(atCheckpoint: true, epochsLeft: 0, Epoch));
        Assert.False(new YieldAsks(TimeSpan.Zero, TimeSpan.Zero).Due(atCheckpoint: true, epochsLeft: 1000, Epoch));
    }
}
