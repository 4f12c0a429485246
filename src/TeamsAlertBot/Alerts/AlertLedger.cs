using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// The pipeline's shared memory in Redis: the poller lease, the watermark, first sight of alerts,
/// what each alert's cards show and where they are, the work stream and storm threads. Every write
/// that decides something is one atomic command or a guarded transaction.
/// </summary>
public sealed class AlertLedger(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>The consumer group of the dispatchers.</summary>
    public const string DispatcherGroup = "dispatchers";

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private const string FirstSightScript = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then
          redis.call('XADD', KEYS[2], '*', 'kind', 'Post', 'alert', ARGV[1])
          return 1
        end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Takes the poller lease, or renews it when <paramref name="owner"/> holds it.</summary>
    public async Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration)
    {
        RedisResult result = await Db.ScriptEvaluateAsync(RenewScript, [keys.PollerLease], [owner, (long)duration.TotalMilliseconds]);
        return (long)result == 1;
    }

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it.</summary>
    public Task ReleaseLeaseAsync(string owner) =>
        Db.ScriptEvaluateAsync(ReleaseScript, [keys.PollerLease], [owner]);

    public async Task<DateTimeOffset?> GetWatermarkAsync()
    {
        RedisValue value = await Db.StringGetAsync(keys.PollWatermark);
        return value.IsNullOrEmpty ? null : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    public Task SetWatermarkAsync(DateTimeOffset watermark) =>
        Db.StringSetAsync(keys.PollWatermark, watermark.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>
    /// The first sight of an alert: marks it seen and queues its <see cref="AlertWorkKind.Post"/> in one
    /// atomic step, so a crash can neither lose it (seen but not queued) nor queue it twice. True exactly
    /// once per alert, whichever instance or overlapping poll gets there first.
    /// </summary>
    public async Task<bool> FirstSightAsync(string alertId, TimeSpan retention)
    {
        RedisResult result = await Db.ScriptEvaluateAsync(FirstSightScript, [keys.AlertSeen(alertId), keys.AlertWork], [alertId, (long)retention.TotalMilliseconds]);
        return (long)result == 1;
    }

    /// <summary>Marks an alert seen without queuing it (the backfill posts it itself); true if it was new.</summary>
    public Task<bool> MarkSeenAsync(string alertId, TimeSpan retention) =>
        Db.StringSetAsync(keys.AlertSeen(alertId), "1", retention, When.NotExists);

    /// <summary>
    /// A short exclusive right to post <paramref name="alertId"/> into <paramref name="conversationId"/>,
    /// so a reclaimed work item cannot post while its first consumer is still at it.
    /// </summary>
    public Task<bool> TryLockPostingAsync(string alertId, string conversationId, TimeSpan duration) =>
        Db.StringSetAsync(keys.AlertPosting(alertId, conversationId), "1", duration, When.NotExists);

    public Task ReleasePostingAsync(string alertId, string conversationId) =>
        Db.KeyDeleteAsync(keys.AlertPosting(alertId, conversationId));

    public async Task<AlertSnapshot?> GetSnapshotAsync(string alertId)
    {
        RedisValue json = await Db.HashGetAsync(keys.AlertSnapshots, alertId);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertSnapshot);
    }

    /// <summary>Records what the cards show; an open alert stays watched, a resolved one is dropped from the watch list.</summary>
    public async Task SetSnapshotAsync(string alertId, AlertSnapshot snapshot, bool open)
    {
        ITransaction tx = Db.CreateTransaction();
        _ = tx.HashSetAsync(keys.AlertSnapshots, alertId, JsonSerializer.Serialize(snapshot, AlertStateJsonContext.Default.AlertSnapshot));
        _ = open ? tx.SetAddAsync(keys.OpenAlerts, alertId) : tx.SetRemoveAsync(keys.OpenAlerts, alertId);
        await tx.ExecuteAsync();
    }

    /// <summary>Ids of posted alerts that were open when last seen.</summary>
    public async Task<IReadOnlyList<string>> ListWatchedAsync() =>
        [.. (await Db.SetMembersAsync(keys.OpenAlerts)).Select(v => (string)v!)];

    /// <summary>Records a posted card; false when the conversation already had one for the alert.</summary>
    public Task<bool> AddCardAsync(AlertCardPost post) =>
        Db.HashSetAsync(keys.AlertCards(post.AlertId), post.ConversationId, JsonSerializer.Serialize(post, AlertStateJsonContext.Default.AlertCardPost), When.NotExists);

    /// <summary>Replaces a card record (after an edit).</summary>
    public Task SetCardAsync(AlertCardPost post) =>
        Db.HashSetAsync(keys.AlertCards(post.AlertId), post.ConversationId, JsonSerializer.Serialize(post, AlertStateJsonContext.Default.AlertCardPost));

    public async Task<IReadOnlyList<AlertCardPost>> ListCardsAsync(string alertId) =>
        [.. (await Db.HashGetAllAsync(keys.AlertCards(alertId)))
            .Select(e => JsonSerializer.Deserialize((string)e.Value!, AlertStateJsonContext.Default.AlertCardPost)!)
            .OrderBy(p => p.ConversationId, StringComparer.Ordinal)];

    public async Task<AlertCardPost?> GetCardAsync(string alertId, string conversationId)
    {
        RedisValue json = await Db.HashGetAsync(keys.AlertCards(alertId), conversationId);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertCardPost);
    }

    /// <summary>Queues work for the dispatchers.</summary>
    public Task EnqueueAsync(AlertWorkItem item) =>
        Db.StreamAddAsync(keys.AlertWork, [
            new NameValueEntry("kind", item.Kind.ToString()),
            new NameValueEntry("alert", item.AlertId),
        ]);

    /// <summary>Creates the stream and the dispatchers' group if they do not exist.</summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(keys.AlertWork, DispatcherGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance made it first.
        }
    }

    /// <summary>New work for <paramref name="consumer"/>; it stays pending until acknowledged.</summary>
    public async Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count)
    {
        StreamEntry[] entries = await Db.StreamReadGroupAsync(keys.AlertWork, DispatcherGroup, consumer, StreamPosition.NewMessages, count);
        return [.. entries.Select(e => Parse(e, 1)).OfType<QueuedAlertWork>()];
    }

    /// <summary>Work another consumer took but did not acknowledge within <paramref name="minIdle"/> (it died).</summary>
    public async Task<IReadOnlyList<QueuedAlertWork>> ReclaimAsync(string consumer, TimeSpan minIdle, int count)
    {
        StreamAutoClaimResult result = await Db.StreamAutoClaimAsync(keys.AlertWork, DispatcherGroup, consumer, (long)minIdle.TotalMilliseconds, "0-0", count);
        return [.. result.ClaimedEntries.Select(e => Parse(e, 2)).OfType<QueuedAlertWork>()];
    }

    public Task AcknowledgeAsync(string entryId) =>
        Db.StreamAcknowledgeAsync(keys.AlertWork, DispatcherGroup, entryId);

    /// <summary>Work items not yet acknowledged (for status and tests).</summary>
    public async Task<long> PendingCountAsync()
    {
        StreamPendingInfo info = await Db.StreamPendingAsync(keys.AlertWork, DispatcherGroup);
        return info.PendingMessageCount;
    }

    /// <summary>
    /// Records a new alert of a customer at <paramref name="now"/> and returns how many of the
    /// customer's alerts fall inside <paramref name="window"/> (this one included).
    /// </summary>
    public async Task<long> CountRecentAsync(string customerTenantId, string alertId, DateTimeOffset now, TimeSpan window)
    {
        RedisKey key = keys.CustomerRecentAlerts(customerTenantId);
        ITransaction tx = Db.CreateTransaction();
        _ = tx.SortedSetAddAsync(key, alertId, now.ToUnixTimeMilliseconds());
        _ = tx.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, (now - window).ToUnixTimeMilliseconds(), Exclude.Stop);
        Task<long> count = tx.SortedSetLengthAsync(key);
        _ = tx.KeyExpireAsync(key, window + window);
        await tx.ExecuteAsync();
        return await count;
    }

    /// <summary>The customer's storm thread in a conversation, if one started within <paramref name="window"/>.</summary>
    public async Task<StormThread?> GetStormAsync(string customerTenantId, string conversationId, DateTimeOffset now, TimeSpan window)
    {
        RedisValue json = await Db.HashGetAsync(keys.CustomerStorm(customerTenantId), conversationId);
        StormThread? storm = json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.StormThread);
        return storm is not null && now - storm.StartedAt < window + window ? storm : null;
    }

    public async Task SetStormAsync(string customerTenantId, StormThread storm, TimeSpan window)
    {
        RedisKey key = keys.CustomerStorm(customerTenantId);
        ITransaction tx = Db.CreateTransaction();
        _ = tx.HashSetAsync(key, storm.ConversationId, JsonSerializer.Serialize(storm, AlertStateJsonContext.Default.StormThread));
        _ = tx.KeyExpireAsync(key, window + window);
        await tx.ExecuteAsync();
    }

    private static QueuedAlertWork? Parse(StreamEntry entry, long deliveries)
    {
        if (entry.IsNull)
        {
            return null;
        }

        string? alert = entry["alert"];
        return Enum.TryParse(entry["kind"], out AlertWorkKind kind) && !string.IsNullOrEmpty(alert)
            ? new QueuedAlertWork(entry.Id!, new AlertWorkItem(kind, alert), deliveries)
            : null;
    }
}
