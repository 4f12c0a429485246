using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.IntegrationTests.Infrastructure;
using TeamsAlertBot.State;

namespace TeamsAlertBot.IntegrationTests.Alerts;

/// <summary>The durable work streams against a real redis-server (plain, the 6.0 stand-in and the cluster alike).</summary>
public sealed class AlertWorkStreamsTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly TimeSpan ReclaimAfter = TimeSpan.FromMilliseconds(600);
    private ConnectionMultiplexer _connection = null!;
    private RedisKeys _keys = null!;
    private AlertPipelineOptions _settings = null!;
    private AlertWorkStreams _work = null!;

    private IDatabase Db => _connection.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _keys = new RedisKeys(RedisServer.UniquePrefix());
        _settings = new AlertPipelineOptions
        {
            ReclaimAfter = ReclaimAfter,
            Delivery = new DeliveryOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200) },
        };
        _work = new AlertWorkStreams(_connection, _keys, Options.Create(_settings), TimeProvider.System, NullLogger<AlertWorkStreams>.Instance);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

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
    public async Task Read_WorkThisDispatcherStillRunsWhileItsHeartbeatWasLate_IsNotTakenAgainNorCounted()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        QueuedAlertWork running = Assert.Single(await ReadAllAsync("me"));

        // Redis was away: no heartbeat for longer than ReclaimAfter, while the send is still running here.
        await Task.Delay(ReclaimAfter + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Empty(await _work.ReadAsync("me", 100, (partition, id) => partition == running.Partition && id == running.EntryId));

        StreamPendingMessageInfo pending = Assert.Single(await Db.StreamPendingMessagesAsync(_keys.Work(running.Partition), AlertWorkStreams.DispatcherGroup, 10, RedisValue.Null));
        Assert.Equal(1, pending.DeliveryCount);
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
    public async Task Read_MalformedEntry_GoesToTheDeadLettersAtOnce()
    {
        await Db.StreamAddAsync(_keys.Work(0), [new NameValueEntry("kind", "Launch"), new NameValueEntry("alert", "x")]);
        await Db.StreamAddAsync(_keys.Work(1), [new NameValueEntry("kind", "Post")]);

        Assert.Empty(await ReadAllAsync("consumer-1"));
        IReadOnlyList<DeadLetter> letters = await _work.ListDeadLettersAsync(10);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal("malformed entry", l.Reason));
        Assert.Equal(0, await _work.BacklogAsync());
    }

    [Fact]
    public async Task Read_AfterRedisLostTheStreamAndItsGroup_MakesThemAgainAndGoesOn()
    {
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-1", "conv-a"));
        Assert.Single(await ReadAllAsync("consumer-1"));
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            await Db.KeyDeleteAsync(_keys.Work(partition));
        }

        // NOGROUP is answered by making the group again, without a restart.
        Assert.Empty(await ReadAllAsync("consumer-1"));
        await _work.EnqueueAsync(AlertWorkItem.Post("alert-2", "conv-a"));
        QueuedAlertWork next = Assert.Single(await ReadAllAsync("consumer-1"));
        Assert.Equal("alert-2", next.Item!.AlertId);
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
    public void BackoffAfter_DoublesFromTheRetryDelay_NeverBelowReclaimAfterNorAboveTheCap()
    {
        var settings = new AlertPipelineOptions
        {
            ReclaimAfter = TimeSpan.FromSeconds(10),
            Delivery = new DeliveryOptions { RetryDelay = TimeSpan.FromSeconds(8), MaxRetryDelay = TimeSpan.FromSeconds(60) },
        };
        var work = new AlertWorkStreams(_connection, _keys, Options.Create(settings), TimeProvider.System, NullLogger<AlertWorkStreams>.Instance);

        Assert.Equal(
            [10, 16, 32, 60, 60],
            new[] { 1, 2, 3, 4, 9 }.Select(n => (int)work.BackoffAfter(n).TotalSeconds).ToArray());
    }

    private async Task<IReadOnlyList<QueuedAlertWork>> ReadAllAsync(string consumer) => await _work.ReadAsync(consumer, 100);
}
