using System.Text.Json;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IAlertLedger"/> in Redis, shared by every instance. Every key of one alert shares a hash
/// slot; every key of the alert's state expires <see cref="AlertPipelineOptions.StateRetention"/> after
/// the alert was last seen open or written.
/// </summary>
public sealed class RedisAlertLedger(IConnectionMultiplexer redis, RedisKeys keys) : IAlertLedger
{
    // KEYS[1] epoch; ARGV[1] its id, ARGV[2] the new JSON. Written only over the same epoch.
    private const string UpdateEpochScript = """
        local current = redis.call('GET', KEYS[1])
        if not current or cjson.decode(current).id ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration) =>
        await Db.LockExtendAsync(keys.PollerLease, owner, duration) || await Db.LockTakeAsync(keys.PollerLease, owner, duration);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string owner) => Db.LockReleaseAsync(keys.PollerLease, owner);

    /// <inheritdoc />
    public async Task<string?> LeaseHolderAsync() => await Db.LockQueryAsync(keys.PollerLease);

    /// <inheritdoc />
    public async Task<PipelineEpoch?> GetEpochAsync()
    {
        RedisValue json = await Db.StringGetAsync(keys.Epoch);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.PipelineEpoch);
    }

    /// <inheritdoc />
    public async Task<PipelineEpoch> CreateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (await Db.StringSetAsync(keys.Epoch, AlertStateJson.Serialize(epoch), when: When.NotExists))
        {
            return epoch;
        }

        return await GetEpochAsync() ?? epoch;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return (long)await Db.ScriptEvaluateAsync(UpdateEpochScript, [keys.Epoch], [epoch.Id, AlertStateJson.Serialize(epoch)]) == 1;
    }

    /// <inheritdoc />
    public async Task WatchAsync(string alertId, AlertSnapshot snapshot, DateTimeOffset seenAt, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await Db.StringSetAsync(keys.AlertSnapshot(alertId), AlertStateJson.Serialize(snapshot), retention, When.NotExists);
        await Db.SortedSetAddAsync(keys.WatchedAlerts, alertId, seenAt.ToUnixTimeMilliseconds());
    }

    /// <inheritdoc />
    public async Task<AlertSnapshot?> TouchAsync(string alertId, DateTimeOffset seenAt, TimeSpan retention)
    {
        IBatch batch = Db.CreateBatch();
        Task<RedisValue> snapshot = batch.StringGetAsync(keys.AlertSnapshot(alertId));
        Task[] expiries = [.. keys.AlertState(alertId).Append(keys.AlertSeen(alertId)).Select(k => batch.KeyExpireAsync(k, retention))];
        Task score = batch.SortedSetAddAsync(keys.WatchedAlerts, alertId, seenAt.ToUnixTimeMilliseconds());
        batch.Execute();
        await Task.WhenAll([snapshot, score, .. expiries]);
        RedisValue json = await snapshot;
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertSnapshot);
    }

    /// <inheritdoc />
    public async Task<AlertSnapshot?> GetSnapshotAsync(string alertId)
    {
        RedisValue json = await Db.StringGetAsync(keys.AlertSnapshot(alertId));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertSnapshot);
    }

    /// <inheritdoc />
    public async Task SetSnapshotAsync(string alertId, AlertSnapshot snapshot, bool open, DateTimeOffset now, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await Db.StringSetAsync(keys.AlertSnapshot(alertId), AlertStateJson.Serialize(snapshot), retention);
        _ = open
            ? await Db.SortedSetAddAsync(keys.WatchedAlerts, alertId, now.ToUnixTimeMilliseconds())
            : await Db.SortedSetRemoveAsync(keys.WatchedAlerts, alertId);
    }

    /// <inheritdoc />
    public Task UnwatchAsync(string alertId) => Db.SortedSetRemoveAsync(keys.WatchedAlerts, alertId);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListWatchedAsync(DateTimeOffset now, TimeSpan retention)
    {
        await Db.SortedSetRemoveRangeByScoreAsync(keys.WatchedAlerts, double.NegativeInfinity, (now - retention).ToUnixTimeMilliseconds());
        return [.. (await Db.SortedSetRangeByRankAsync(keys.WatchedAlerts)).Select(v => (string)v!)];
    }

    /// <inheritdoc />
    public DeliverySlot CardSlot(string alertId, string conversationId) => AlertSlots.Card(keys, alertId, conversationId);

    /// <inheritdoc />
    public DeliverySlot StormSlot(string customerTenantId, string conversationId) => AlertSlots.Storm(keys, customerTenantId, conversationId);

    /// <inheritdoc />
    public async Task SetCardAsync(AlertCardPost post, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(post);
        await Db.HashSetAsync(keys.AlertCards(post.AlertId), post.ConversationId, AlertStateJson.Serialize(post));
        await Db.KeyExpireAsync(keys.AlertCards(post.AlertId), retention);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertCardPost>> ListCardsAsync(string alertId) =>
        [.. (await Db.HashGetAllAsync(keys.AlertCards(alertId)))
            .Select(e => JsonSerializer.Deserialize((string)e.Value!, AlertStateJsonContext.Default.AlertCardPost)!)
            .OrderBy(p => p.ConversationId, StringComparer.Ordinal)];

    /// <inheritdoc />
    public async Task<AlertCardPost?> GetCardAsync(string alertId, string conversationId)
    {
        RedisValue json = await Db.HashGetAsync(keys.AlertCards(alertId), conversationId);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertCardPost);
    }

    /// <inheritdoc />
    public async Task<long> CountRecentAsync(string customerTenantId, string alertId, DateTimeOffset now, TimeSpan window)
    {
        RedisKey key = keys.CustomerRecentAlerts(customerTenantId);
        ITransaction tx = Db.CreateTransaction();
        _ = tx.SortedSetAddAsync(key, alertId, now.ToUnixTimeMilliseconds(), SortedSetWhen.NotExists);
        _ = tx.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, (now - window - window).ToUnixTimeMilliseconds(), Exclude.Stop);
        Task<long> count = tx.SortedSetLengthAsync(key, (now - window).ToUnixTimeMilliseconds(), double.PositiveInfinity);
        _ = tx.KeyExpireAsync(key, window + window);
        await tx.ExecuteAsync();
        return await count;
    }

    /// <inheritdoc />
    public async Task<StormThread?> GetStormAsync(string customerTenantId, string conversationId, DateTimeOffset now, TimeSpan window)
    {
        RedisValue json = await Db.HashGetAsync(keys.CustomerStorm(customerTenantId), conversationId);
        StormThread? storm = json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.StormThread);
        if (storm is not null && now - storm.StartedAt >= window + window)
        {
            await Db.HashDeleteAsync(keys.CustomerStorm(customerTenantId), conversationId);
            return null;
        }

        return storm;
    }

}
