using System.Text.Json;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// The pipeline's shared memory in Redis, besides the work streams: the poller lease, the epoch, which
/// posted alerts are watched, what each alert's cards show and where they are, and storm threads.
/// Every key of one alert shares a hash slot; every key of the alert's state expires
/// <see cref="AlertPipelineOptions.StateRetention"/> after the alert was last seen open or written.
/// </summary>
public sealed class AlertLedger(IConnectionMultiplexer redis, RedisKeys keys)
{
    // KEYS[1] epoch; ARGV[1] its id, ARGV[2] the new JSON. Written only over the same epoch.
    private const string UpdateEpochScript = """
        local current = redis.call('GET', KEYS[1])
        if not current or cjson.decode(current).id ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Takes the poller lease, or renews it when <paramref name="owner"/> holds it.</summary>
    public async Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration) =>
        await Db.LockExtendAsync(keys.PollerLease, owner, duration) || await Db.LockTakeAsync(keys.PollerLease, owner, duration);

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it.</summary>
    public Task ReleaseLeaseAsync(string owner) => Db.LockReleaseAsync(keys.PollerLease, owner);

    /// <summary>Who holds the poller lease (for status); null when nobody does.</summary>
    public async Task<string?> LeaseHolderAsync() => await Db.LockQueryAsync(keys.PollerLease);

    /// <summary>The epoch, or null when there is none (a new state, or a lost one).</summary>
    public async Task<PipelineEpoch?> GetEpochAsync()
    {
        RedisValue json = await Db.StringGetAsync(keys.Epoch);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.PipelineEpoch);
    }

    /// <summary>Makes <paramref name="epoch"/> the epoch unless one exists; returns the one that stands.</summary>
    public async Task<PipelineEpoch> CreateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (await Db.StringSetAsync(keys.Epoch, Serialize(epoch), when: When.NotExists))
        {
            return epoch;
        }

        return await GetEpochAsync() ?? epoch;
    }

    /// <summary>Records a poll's progress in the epoch (only while the epoch is still <paramref name="epoch"/>'s).</summary>
    public async Task<bool> UpdateEpochAsync(PipelineEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return (long)await Db.ScriptEvaluateAsync(UpdateEpochScript, [keys.Epoch], [epoch.Id, Serialize(epoch)]) == 1;
    }

    /// <summary>
    /// Records what a new alert's cards will show and starts watching it (open alerts are watched for
    /// changes made elsewhere). The snapshot is written only when none exists.
    /// </summary>
    public async Task WatchAsync(string alertId, AlertSnapshot snapshot, DateTimeOffset seenAt, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await Db.StringSetAsync(keys.AlertSnapshot(alertId), Serialize(snapshot), retention, When.NotExists);
        await Db.SortedSetAddAsync(keys.WatchedAlerts, alertId, seenAt.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// A poll saw a watched alert: its state keys stay alive another <paramref name="retention"/> and its
    /// snapshot is returned (null when there is none).
    /// </summary>
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

    public async Task<AlertSnapshot?> GetSnapshotAsync(string alertId)
    {
        RedisValue json = await Db.StringGetAsync(keys.AlertSnapshot(alertId));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertSnapshot);
    }

    /// <summary>Records what the cards show now; an open alert stays watched, a resolved one is no longer.</summary>
    public async Task SetSnapshotAsync(string alertId, AlertSnapshot snapshot, bool open, DateTimeOffset now, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await Db.StringSetAsync(keys.AlertSnapshot(alertId), Serialize(snapshot), retention);
        _ = open
            ? await Db.SortedSetAddAsync(keys.WatchedAlerts, alertId, now.ToUnixTimeMilliseconds())
            : await Db.SortedSetRemoveAsync(keys.WatchedAlerts, alertId);
    }

    /// <summary>Stops watching an alert (it no longer exists).</summary>
    public Task UnwatchAsync(string alertId) => Db.SortedSetRemoveAsync(keys.WatchedAlerts, alertId);

    /// <summary>Ids of posted alerts that were open when last seen; alerts not seen for <paramref name="retention"/> are dropped first.</summary>
    public async Task<IReadOnlyList<string>> ListWatchedAsync(DateTimeOffset now, TimeSpan retention)
    {
        await Db.SortedSetRemoveRangeByScoreAsync(keys.WatchedAlerts, double.NegativeInfinity, (now - retention).ToUnixTimeMilliseconds());
        return [.. (await Db.SortedSetRangeByRankAsync(keys.WatchedAlerts)).Select(v => (string)v!)];
    }

    /// <summary>The place of an alert's card in one conversation (with its triage and mitigation records read along).</summary>
    public DeliverySlot CardSlot(string alertId, string conversationId) =>
        new(keys.AlertCards(alertId), keys.AlertSends(alertId), conversationId, [keys.Triage(alertId), keys.Mitigation(alertId)], keys.AlertSnapshot(alertId));

    /// <summary>A snapshot as stored (JSON) read back; null when it is not one.</summary>
    internal static AlertSnapshot? ParseSnapshot(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.AlertSnapshot) : null;

    /// <summary>The place of a customer's storm root in one conversation.</summary>
    public DeliverySlot StormSlot(string customerTenantId, string conversationId) =>
        new(keys.CustomerStorm(customerTenantId), keys.CustomerStormSends(customerTenantId), conversationId);

    /// <summary>Replaces a card record (after an edit); the record's expiry starts again.</summary>
    public async Task SetCardAsync(AlertCardPost post, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(post);
        await Db.HashSetAsync(keys.AlertCards(post.AlertId), post.ConversationId, Serialize(post));
        await Db.KeyExpireAsync(keys.AlertCards(post.AlertId), retention);
    }

    public async Task<IReadOnlyList<AlertCardPost>> ListCardsAsync(string alertId) =>
        [.. (await Db.HashGetAllAsync(keys.AlertCards(alertId)))
            .Select(e => JsonSerializer.Deserialize((string)e.Value!, AlertStateJsonContext.Default.AlertCardPost)!)
            .OrderBy(p => p.ConversationId, StringComparer.Ordinal)];

    public async Task<AlertCardPost?> GetCardAsync(string alertId, string conversationId)
    {
        RedisValue json = await Db.HashGetAsync(keys.AlertCards(alertId), conversationId);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, AlertStateJsonContext.Default.AlertCardPost);
    }

    /// <summary>
    /// Records a new alert of a customer (at its first sight; a second call keeps the first time) and
    /// returns how many of the customer's alerts were first seen within <paramref name="window"/>.
    /// </summary>
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

    /// <summary>The customer's storm thread in a conversation, if one started within two windows; an older one is forgotten.</summary>
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

    internal static string Serialize(AlertCardPost post) => JsonSerializer.Serialize(post, AlertStateJsonContext.Default.AlertCardPost);

    internal static string Serialize(StormThread storm) => JsonSerializer.Serialize(storm, AlertStateJsonContext.Default.StormThread);

    private static string Serialize(AlertSnapshot snapshot) => JsonSerializer.Serialize(snapshot, AlertStateJsonContext.Default.AlertSnapshot);

    private static string Serialize(PipelineEpoch epoch) => JsonSerializer.Serialize(epoch, AlertStateJsonContext.Default.PipelineEpoch);
}
