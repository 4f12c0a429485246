using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;

namespace TeamsAlertBot.Tests.Connector;

public sealed class SlidingWindowGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DelayUntilFree_NoWindows_AlwaysZero()
    {
        var gate = new SlidingWindowGate([]);
        for (int i = 0; i < 100; i++)
        {
            gate.Record(T0);
        }

        Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(T0));
    }

    [Fact]
    public void DelayUntilFree_UnderLimit_Zero()
    {
        var gate = new SlidingWindowGate([Window(1000, 3)]);
        gate.Record(At(0));
        gate.Record(At(100));

        Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(At(200)));
    }

    [Fact]
    public void DelayUntilFree_AtLimit_WaitsUntilOldestInWindowLeaves()
    {
        var gate = new SlidingWindowGate([Window(1000, 3)]);
        gate.Record(At(0));
        gate.Record(At(100));
        gate.Record(At(200));

        Assert.Equal(TimeSpan.FromMilliseconds(700), gate.DelayUntilFree(At(300)));
    }

    [Fact]
    public void DelayUntilFree_GrantExactlyOneWindowAgo_NoLongerCounts()
    {
        var gate = new SlidingWindowGate([Window(1000, 3)]);
        gate.Record(At(0));
        gate.Record(At(100));
        gate.Record(At(200));

        Assert.Equal(TimeSpan.FromTicks(1), gate.DelayUntilFree(At(1000) - TimeSpan.FromTicks(1)));
        Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(At(1000)));
    }

    [Fact]
    public void DelayUntilFree_OverLimit_WaitsUntilEnoughHaveLeft()
    {
        // Five grants where three are allowed: the third-oldest must leave before a sixth fits.
        var gate = new SlidingWindowGate([Window(1000, 3)]);
        foreach (int ms in new[] { 0, 100, 200, 300, 400 })
        {
            gate.Record(At(ms));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(700), gate.DelayUntilFree(At(500)));
    }

    [Fact]
    public void DelayUntilFree_GrantsOlderThanWindowDoNotCount_WaitsForOldestInWindow()
    {
        var gate = new SlidingWindowGate([Window(1000, 2), Window(10_000, 100)]);
        gate.Record(At(0));
        gate.Record(At(1500));
        gate.Record(At(1800));

        // The grant at 0 is outside the 1 s window at 2000; the one at 1500 is the one to wait for.
        Assert.Equal(TimeSpan.FromMilliseconds(500), gate.DelayUntilFree(At(2000)));
    }

    [Fact]
    public void DelayUntilFree_SeveralWindows_LongestWaitWins()
    {
        var gate = new SlidingWindowGate([Window(1000, 2), Window(10_000, 3)]);
        gate.Record(At(0));
        gate.Record(At(2000));
        gate.Record(At(2100));

        // 1 s window: wait 800 ms for the grant at 2000; 10 s window: wait 7800 ms for the one at 0.
        Assert.Equal(TimeSpan.FromMilliseconds(7800), gate.DelayUntilFree(At(2200)));
    }

    [Fact]
    public void DelayUntilFree_TeamsDefaultWindows_EighthInOneSecondWaitsOneSecond()
    {
        var gate = new SlidingWindowGate(new SendRateLimits().PerConversation);
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(T0));
            gate.Record(T0);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), gate.DelayUntilFree(T0));
    }

    [Fact]
    public void DelayUntilFree_TeamsDefaultWindows_NinthInTwoSecondsWaitsForTwoSecondWindow()
    {
        var gate = new SlidingWindowGate(new SendRateLimits().PerConversation);
        for (int i = 0; i < 7; i++)
        {
            gate.Record(T0);
        }

        DateTimeOffset oneSecondLater = T0.AddSeconds(1);
        Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(oneSecondLater));
        gate.Record(oneSecondLater);

        Assert.Equal(TimeSpan.FromSeconds(1), gate.DelayUntilFree(oneSecondLater));
    }

    [Fact]
    public void DelayUntilFree_WindowWithZeroLimitOrLength_Ignored()
    {
        var gate = new SlidingWindowGate([Window(1000, 0), new RateWindow { Window = TimeSpan.Zero, Limit = 1 }]);
        gate.Record(T0);
        gate.Record(T0);

        Assert.Equal(TimeSpan.Zero, gate.DelayUntilFree(T0));
    }

    [Fact]
    public void IsIdle_WithinLongestWindow_False()
    {
        var gate = new SlidingWindowGate([Window(1000, 5), Window(30_000, 60)]);
        gate.Record(T0);

        Assert.False(gate.IsIdle(At(29_999)));
    }

    [Fact]
    public void IsIdle_AfterLongestWindow_True()
    {
        var gate = new SlidingWindowGate([Window(1000, 5), Window(30_000, 60)]);
        gate.Record(T0);

        Assert.True(gate.IsIdle(At(30_000)));
    }

    [Fact]
    public void IsIdle_NothingRecorded_True()
    {
        Assert.True(new SlidingWindowGate([Window(1000, 5)]).IsIdle(T0));
    }

    private static DateTimeOffset At(int milliseconds) => T0.AddMilliseconds(milliseconds);

    private static RateWindow Window(int milliseconds, int limit) =>
        new() { Window = TimeSpan.FromMilliseconds(milliseconds), Limit = limit };
}
