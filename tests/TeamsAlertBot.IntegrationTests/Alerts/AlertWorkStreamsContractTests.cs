using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.IntegrationTests.State;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>
/// The durable work streams' contract, run against Redis (plain, the 6.0 stand-in and the cluster alike)
/// and against the in-memory twin: first sight, holding, takeover after a quiet heartbeat, backoff,
/// attempt limit, dead letters and their notices.
/// </summary>
public abstract class AlertWorkStreamsContractTests : LedgerContract
{
    protected static readonly TimeSpan ReclaimAfter = TimeSpan.FromMilliseconds(600);
    private IAlertWorkStreams _work = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _work = Stores.Work(new AlertPipelineOptions
        {
            ReclaimAfter = ReclaimAfter,
            Delivery = new DeliveryOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) },
        });
    }

    [Fact]
    public async Task FirstSight_ConcurrentSightsOfOneAlert_QueueItsCardsOnce()
    {
        bool[] firsts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _work.FirstSightAsync("alert-1", ["conv-a", "conv-b"], verify: false)));

        Assert.Single(firsts, first => first);
        IReadOnlyList<QueuedAlertWork> work = await ReadAllAsync("consumer-1");
        Assert.Equal(
            [("alert-1", "conv-a"), ("alert-1", "conv-b")],
            work.Select(w => (w.Item!.AlertId, w.Item.ConversationId)).Order().ToArray());
        Assert.All(work, w => Assert.Equal(AlertWorkKind.Post, w.Item!.Kind));
        Assert.False(await _work.MarkSeenAsync("alert-1"));
    }

    [Fact]
    public async Task Acknowledge_DoneWork_LeavesTheStream()
    {
        for (int i = 0; i < 3; i++)
        {
            await _work.EnqueueAsync(AlertWorkItem.Update($"alert-{i}"));
        }

        IReadOnlyList<QueuedAlertWork> work = await ReadAllAsync("consumer-1");
        Assert.Equal(3, await _work.BacklogAsync());
        foreach (QueuedAlertWork entry in work)
        {
            await _work.AcknowledgeAsync(entry);
        }

        Assert.Equal(0, await _work.BacklogAsync());
        Assert.Empty(await ReadAllAsync("consumer-2"));
    }

    [Fact]
    public async Task Read_WorkOfAQuietConsumer_IsTakenOverOnlyAfterItStopsItsHeartbeat()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        QueuedAlertWork held = Assert.Single(await ReadAllAsync("alive"));

        // While its consumer says it is still at it, nobody else gets it.
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(ReclaimAfter / 3, TestContext.Current.CancellationToken);
            await _work.HeartbeatAsync("alive", [held]);
            Assert.Empty(await ReadAllAsync("other"));
        }

        // Then it goes quiet (it died): the work is taken over, counted as a second delivery.
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        QueuedAlertWork taken = Assert.Single(await ReadAllAsync("other"));
        Assert.Equal((held.EntryId, 2L), (taken.EntryId, taken.DeliveryCount));
    }

    [Fact]
    public async Task Fail_OnTheLastAttempt_MovesTheWorkToTheDeadLettersWithItsReason()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        QueuedAlertWork first = Assert.Single(await ReadAllAsync("consumer-1"));
        Assert.False(await _work.FailAsync(first, "Teams answered 400"));

        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        QueuedAlertWork second = Assert.Single(await ReadAllAsync("consumer-1"));
        Assert.True(await _work.FailAsync(second, "Teams answered 400 again"));

        DeadLetter letter = Assert.Single(await _work.ListDeadLettersAsync(10));
        Assert.Equal(("alert-1", "conv-a", "Teams answered 400 again"), (letter.Item!.AlertId, letter.Item.ConversationId, letter.Reason));
        Assert.Equal(1L, await _work.DeadLetterCountAsync());

        // In the same step, the conversation's notice was queued; the card itself is not tried again.
        QueuedAlertWork notice = Assert.Single(await ReadAllAsync("consumer-1"));
        Assert.Equal(
            (AlertWorkKind.Notice, "alert-1", "conv-a", "Teams answered 400 again", 2L),
            (notice.Item!.Kind, notice.Item.AlertId, notice.Item.ConversationId, notice.Item.Payload, notice.Item.Attempts));
        await _work.AcknowledgeAsync(notice);
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Empty(await ReadAllAsync("consumer-1"));
        Assert.Equal(0L, await _work.BacklogAsync());
    }

    [Fact]
    public async Task Read_PastItsLastAttempt_WorkWhoseConsumerDied_GoesToTheDeadLetters()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        Assert.Single(await ReadAllAsync("died-1"));
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Single(await ReadAllAsync("died-2"));
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        // Past its last attempt it is not handed out again; only its notice is.
        QueuedAlertWork notice = Assert.Single(await ReadAllAsync("consumer-3"));
        Assert.Equal(AlertWorkKind.Notice, notice.Item!.Kind);
        DeadLetter letter = Assert.Single(await _work.ListDeadLettersAsync(10));
        Assert.StartsWith("2 attempts failed", letter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryDeadLetters_QueuesThemAgainAsFreshWork()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a", thread: "conv-a;messageid=7", verify: true));
        QueuedAlertWork entry = Assert.Single(await ReadAllAsync("consumer-1"));
        await _work.DeadLetterAsync(entry, "given up");

        Assert.Equal(1, await _work.RetryDeadLettersAsync());

        QueuedAlertWork again = Assert.Single(await ReadAllAsync("consumer-2"), w => w.Item!.Kind == AlertWorkKind.Post);
        Assert.Equal(AlertWorkItem.Post("alert-1", "conv-a", thread: "conv-a;messageid=7", verify: true), again.Item);
        Assert.Equal(1L, again.DeliveryCount);
        Assert.Equal(0, await _work.DeadLetterCountAsync());
    }

    [Fact]
    public async Task Read_WorkThisDispatcherStillRunsWhileItsHeartbeatWasLate_IsNotTakenAgainNorCounted()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        QueuedAlertWork running = Assert.Single(await ReadAllAsync("me"));

        // Redis was away: no heartbeat for longer than ReclaimAfter, while the send is still running here.
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Empty(await _work.ReadAsync("me", 100, (partition, id) => partition == running.Partition && id == running.EntryId));

        // Once it is no longer held it is handed out again as its second delivery: the late heartbeat counted nothing.
        QueuedAlertWork again = await ReadFirstAsync("me");
        Assert.Equal((running.EntryId, 2L), (again.EntryId, again.DeliveryCount));
    }

    [Fact]
    public void BackoffAfter_DoublesFromTheRetryDelay_NeverBelowReclaimAfterNorAboveTheCap()
    {
        var settings = new AlertPipelineOptions
        {
            ReclaimAfter = TimeSpan.FromSeconds(10),
            Delivery = new DeliveryOptions { RetryDelay = TimeSpan.FromSeconds(8), MaxRetryDelay = TimeSpan.FromSeconds(60) },
        };
        IAlertWorkStreams work = Stores.Work(settings);

        Assert.Equal(
            [10, 16, 32, 60, 60],
            new[] { 1, 2, 3, 4, 9 }.Select(n => (int)work.BackoffAfter(n).TotalSeconds).ToArray());
    }

    [Fact]
    public async Task Read_WorkThatNamesTooLittle_GoesToTheDeadLettersAtOnce()
    {
        await _work.EnqueueAsync(new AlertWorkItem { Kind = AlertWorkKind.Post, AlertId = "alert-1" });

        Assert.Empty(await ReadAllAsync("consumer-1"));
        DeadLetter letter = Assert.Single(await _work.ListDeadLettersAsync(10));
        Assert.Equal("malformed entry", letter.Reason);
        Assert.Equal(0, await _work.BacklogAsync());
    }

    /// <summary>The first work <paramref name="consumer"/> gets, read until some is due (a takeover is looked for a few times per ReclaimAfter).</summary>
    private async Task<QueuedAlertWork> ReadFirstAsync(string consumer)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            IReadOnlyList<QueuedAlertWork> work = await ReadAllAsync(consumer);
            if (work.Count > 0)
            {
                return work[0];
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "no work was handed out");

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    protected async Task<IReadOnlyList<QueuedAlertWork>> ReadAllAsync(string consumer) => await _work.ReadAsync(consumer, 100);

    protected IAlertWorkStreams Work => _work;
}

/// <summary>The contract against Redis, plus what only Redis can lose or hold (foreign entries, a lost consumer group).</summary>
public sealed class RedisAlertWorkStreamsTests(RedisServer redis) : AlertWorkStreamsContractTests
{
    private RedisLedgerStores _redis = null!;

    protected override async Task<LedgerStores> CreateStoresAsync() => _redis = await RedisLedgerStores.ConnectAsync(redis);

    [Fact]
    public async Task Read_MalformedEntry_GoesToTheDeadLettersAtOnce()
    {
        await _redis.Connection.GetDatabase().StreamAddAsync(Stores.Keys.Work(0), [new NameValueEntry("kind", "Launch"), new NameValueEntry("alert", "x")]);
        await _redis.Connection.GetDatabase().StreamAddAsync(Stores.Keys.Work(1), [new NameValueEntry("kind", "Post")]);

        Assert.Empty(await ReadAllAsync("consumer-1"));
        IReadOnlyList<DeadLetter> letters = await Work.ListDeadLettersAsync(10);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal("malformed entry", l.Reason));
        Assert.Equal(0, await Work.BacklogAsync());
    }

    [Fact]
    public async Task Read_AfterRedisLostTheStreamAndItsGroup_MakesThemAgainAndGoesOn()
    {
        await Work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        Assert.Single(await ReadAllAsync("consumer-1"));
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            await _redis.Connection.GetDatabase().KeyDeleteAsync(Stores.Keys.Work(partition));
        }

        // The next read also looks for work to take over (it does a few times per ReclaimAfter), on a stream
        // that is gone: that, like NOGROUP, is answered by making the group again, without a restart.
        await Task.Delay(ReclaimAfter, TestContext.Current.CancellationToken);
        Assert.Empty(await ReadAllAsync("consumer-1"));
        await Work.EnqueueAsync(AlertWorkItem.Post("alert-2", "conv-a"));
        QueuedAlertWork next = Assert.Single(await ReadAllAsync("consumer-1"));
        Assert.Equal("alert-2", next.Item!.AlertId);
    }
}

/// <summary>The contract against the in-memory twin (no Redis: run once).</summary>
[Trait("Redis", "None")]
public sealed class InMemoryAlertWorkStreamsTests : AlertWorkStreamsContractTests
{
    protected override Task<LedgerStores> CreateStoresAsync() => Task.FromResult<LedgerStores>(new InMemoryLedgerStores());
}
