using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Tests.Fakes;

namespace TeamsAlertBot.Tests.Connector;

/// <summary>
/// The limiter waits with <c>Task.Delay(delay, timeProvider, ct)</c>. On a fake clock the delay's
/// timer fires inside <c>Advance</c> and, with no synchronization context captured, the limiter's
/// continuation runs there too: after an advance a grant has either happened or a new timer exists.
/// </summary>
public sealed class SendRateLimiterTests
{
    private const string Channel = "19:e4b8a7c2d1f04e3a9b6c5d8e7f1a2b3c@thread.tacv2";
    private const string OtherChannel = "19:0f1e2d3c4b5a69788796a5b4c3d2e1f0@thread.tacv2";

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly RecordingTimeProvider _time = new();

    [Fact]
    public void AcquireAsync_SevenSendsWithinOneSecond_AllPassImmediately()
    {
        SendRateLimiter limiter = Create();

        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully, $"send {i + 1} waited");
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Empty(_time.DueTimes);
    }

    [Fact]
    public void AcquireAsync_EighthSendWithinOneSecond_WaitsUntilFirstLeavesWindow()
    {
        SendRateLimiter limiter = Create();
        DateTimeOffset first = _time.GetUtcNow();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Now 700 ms after the first send: the first leaves the 1 s window in 300 ms.
        Task eighth = Acquire(limiter, Channel);

        AssertReleasedAfter(eighth, TimeSpan.FromMilliseconds(300));
        Assert.Equal(first.AddSeconds(1), _time.GetUtcNow());
    }

    [Fact]
    public void AcquireAsync_NinthSendWithinTwoSeconds_WaitsForTwoSecondWindow()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully, "the 1 s window is empty again");

        // One send in the last second, but eight in the last two: wait until the first seven leave.
        Task ninth = Acquire(limiter, Channel);

        AssertReleasedAfter(ninth, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void AcquireAsync_SixtySendsWithinThirtySeconds_SixtyFirstWaitsForThirtySecondWindow()
    {
        SendRateLimiter limiter = Create();
        DateTimeOffset start = _time.GetUtcNow();
        for (int i = 0; i < 60; i++)
        {
            SendAsSoonAsAllowed(limiter, Channel);
        }

        // 8 sends per 2 s (7 + 1): the 60th goes out 14 s after the first.
        Assert.Equal(start.AddSeconds(14), _time.GetUtcNow());

        Task sixtyFirst = Acquire(limiter, Channel);

        AssertReleasedAfter(sixtyFirst, TimeSpan.FromSeconds(16));
        Assert.Equal(start.AddSeconds(30), _time.GetUtcNow());
    }

    [Fact]
    public void AcquireAsync_OtherConversationAtItsLimit_NotDelayed()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        Task blocked = Acquire(limiter, Channel);
        Task other = Acquire(limiter, OtherChannel);

        Assert.False(blocked.IsCompleted);
        Assert.True(other.IsCompletedSuccessfully);
    }

    [Fact]
    public void AcquireAsync_SendsToThreadsOfOneChannel_CountAsTheChannel()
    {
        SendRateLimiter limiter = Create();
        for (int i = 1; i <= 7; i++)
        {
            Assert.True(Acquire(limiter, $"{Channel};messageid={1764321600000 + i}").IsCompletedSuccessfully);
        }

        Task toChannel = Acquire(limiter, Channel);
        Task toNewThread = Acquire(limiter, $"{Channel};messageid=1");

        Assert.False(toChannel.IsCompleted);
        Assert.False(toNewThread.IsCompleted);
        Assert.Equal(1, limiter.TrackedConversations);
    }

    [Theory]
    [InlineData("19:x@thread.tacv2;messageid=1", "19:x@thread.tacv2")]
    [InlineData("19:x@thread.tacv2;MessageId=1764321600123", "19:x@thread.tacv2")]
    [InlineData("19:x@thread.tacv2", "19:x@thread.tacv2")]
    [InlineData("19:x@thread.skype;messageid=42", "19:x@thread.skype")]
    [InlineData("a:1Zx8Cv7Bn6Mq5Wr4Et3Yu2Ip1As0Df9", "a:1Zx8Cv7Bn6Mq5Wr4Et3Yu2Ip1As0Df9")]
    [InlineData("19:meeting_NmYzY2E4@thread.v2", "19:meeting_NmYzY2E4@thread.v2")]
    public void ConversationKey_ConversationId_ThreadSuffixRemoved(string conversationId, string expected)
    {
        Assert.Equal(expected, SendRateLimiter.ConversationKey(conversationId));
    }

    [Fact]
    public void AcquireAsync_FiftySendsToDifferentConversations_FiftyFirstWaitsForGlobalLimit()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 50; i++)
        {
            Assert.True(Acquire(limiter, $"19:channel{i}@thread.tacv2").IsCompletedSuccessfully, $"send {i + 1} waited");
        }

        Task fiftyFirst = Acquire(limiter, "19:fresh@thread.tacv2");

        AssertReleasedAfter(fiftyFirst, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void AcquireAsync_WaitLongerThanMaxWait_ThrowsTimeoutExceptionAndTakesNoSlot()
    {
        SendRateLimiter limiter = Create(maxWait: TimeSpan.FromMilliseconds(500));
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        Task eighth = Acquire(limiter, Channel);

        Assert.True(eighth.IsFaulted);
        SendSlotUnavailableException error = Assert.IsType<SendSlotUnavailableException>(eighth.Exception!.InnerException);
        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Contains("0.5 s this send may wait", error.Message, StringComparison.Ordinal);

        // Had the refused send been counted, the 2 s window (8) would now be full.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
    }

    [Fact]
    public void AcquireAsync_WaitEqualToMaxWait_WaitsInsteadOfThrowing()
    {
        SendRateLimiter limiter = Create(maxWait: TimeSpan.FromSeconds(1));
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        Task eighth = Acquire(limiter, Channel);

        Assert.False(eighth.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(eighth.IsCompletedSuccessfully);
    }

    [Fact]
    public void AcquireAsync_TwoWaitersForOneSlot_SecondWaitsAgain()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        Task eighth = Acquire(limiter, Channel);
        Task ninth = Acquire(limiter, Channel);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Both woke after 1 s; only one send fits the 2 s window, the other waits for it to slide.
        Assert.True(eighth.IsCompleted ^ ninth.IsCompleted, "exactly one waiter gets the slot");
        Task loser = eighth.IsCompleted ? ninth : eighth;
        Assert.True((eighth.IsCompleted ? eighth : ninth).IsCompletedSuccessfully);
        Assert.Equal(TimeSpan.FromSeconds(1), _time.DueTimes[^1]);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(loser.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(loser.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_CancelsAndTakesNoSlot()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        using var cancellation = new CancellationTokenSource();
        Task eighth = AcquireWith(limiter, Channel, cancellation.Token);
        Assert.False(eighth.IsCompleted);

        await cancellation.CancelAsync();

        // The delay's cancellation completes on the thread pool; the guard only turns a hang into a failure.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => eighth.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.True(eighth.IsCanceled);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully, "the cancelled send must not hold a slot");
    }

    [Fact]
    public void AcquireAsync_AlreadyCancelledAndMustWait_Cancels()
    {
        SendRateLimiter limiter = Create();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        }

        Task eighth = AcquireWith(limiter, Channel, new CancellationToken(canceled: true));

        Assert.True(eighth.IsCanceled);
    }

    [Fact]
    public void AcquireAsync_ManyGrantsAfterIdlePeriod_ForgetsIdleConversations()
    {
        // Without a global window, 1024 grants happen at one instant; the sweep runs on the 1024th.
        SendRateLimiter limiter = Create(
            perConversation: [new RateWindow { Window = TimeSpan.FromSeconds(1), Limit = 7 }],
            global: []);
        Assert.True(Acquire(limiter, "19:old-1@thread.tacv2").IsCompletedSuccessfully);
        Assert.True(Acquire(limiter, "19:old-2@thread.tacv2").IsCompletedSuccessfully);
        _time.Advance(TimeSpan.FromSeconds(2));

        for (int i = 0; i < 1021; i++)
        {
            Assert.True(Acquire(limiter, $"19:new-{i}@thread.tacv2").IsCompletedSuccessfully);
        }

        Assert.Equal(1023, limiter.TrackedConversations);
        Assert.True(Acquire(limiter, "19:new-last@thread.tacv2").IsCompletedSuccessfully);
        Assert.Equal(1022, limiter.TrackedConversations);
    }

    [Fact]
    public void AcquireAsync_BackgroundSendWhileAnotherWaits_LetsTheWaitingSendGoFirst()
    {
        SendRateLimiter limiter = Create(perConversation: [new RateWindow { Window = TimeSpan.FromSeconds(1), Limit = 1 }]);
        Assert.True(Acquire(limiter, Channel).IsCompletedSuccessfully);
        Task background = AcquireBackground(limiter, Channel);
        Task card = Acquire(limiter, Channel);

        _time.Advance(TimeSpan.FromSeconds(1));

        // The card took the free slot although the background send asked first; it gets the next one.
        Assert.True(card.IsCompletedSuccessfully);
        Assert.False(background.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1.2));
        Assert.True(background.IsCompletedSuccessfully);
    }

    [Fact]
    public void AcquireAsync_BackgroundSendAlone_TakesAFreeSlotAtOnce()
    {
        SendRateLimiter limiter = Create();

        Assert.True(AcquireBackground(limiter, Channel).IsCompletedSuccessfully);
    }

    private static Task AcquireBackground(SendRateLimiter limiter, string conversationId) =>
        AcquireWith(limiter, conversationId, TestContext.Current.CancellationToken, background: true);

    private SendRateLimiter Create(
        TimeSpan? maxWait = null, List<RateWindow>? perConversation = null, List<RateWindow>? global = null)
    {
        var limits = new SendRateLimits();
        limits.MaxWait = maxWait ?? limits.MaxWait;
        limits.PerConversation = perConversation ?? limits.PerConversation;
        limits.Global = global ?? limits.Global;
        return new SendRateLimiter(Options.Create(new BotFrameworkOptions { SendLimits = limits }), _time);
    }

    private void SendAsSoonAsAllowed(SendRateLimiter limiter, string conversationId)
    {
        Task send = Acquire(limiter, conversationId);
        for (int wakeUps = 0; !send.IsCompleted; wakeUps++)
        {
            Assert.True(wakeUps < 10, "the limiter kept waiting");
            _time.Advance(_time.DueTimes[^1]);
        }

        Assert.True(send.IsCompletedSuccessfully);
    }

    private static Task Acquire(SendRateLimiter limiter, string conversationId) =>
        AcquireWith(limiter, conversationId, TestContext.Current.CancellationToken);

    private static Task AcquireWith(SendRateLimiter limiter, string conversationId, CancellationToken cancellationToken, bool background = false)
    {
        // No context is captured, so the limiter's continuation runs inside FakeTimeProvider.Advance.
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return background
                ? limiter.AcquireAsync(conversationId, Timeout.InfiniteTimeSpan, background: true, cancellationToken).AsTask()
                : limiter.AcquireAsync(conversationId, cancellationToken).AsTask();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>
    /// <paramref name="send"/> waits exactly <paramref name="wait"/> on the fake clock: still waiting 1 ms
    /// before, let through at that moment (the clock is then <paramref name="wait"/> later).
    /// </summary>
    private void AssertReleasedAfter(Task send, TimeSpan wait)
    {
        Assert.False(send.IsCompleted);
        Assert.Equal(wait, _time.DueTimes[^1]);
        _time.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.False(send.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(send.IsCompletedSuccessfully);
    }
}
