namespace TeamsAlertBot.Alerts;

/// <summary>
/// The pipeline's shared memory besides the work streams: the poller lease, the epoch, which posted
/// alerts are watched, what each alert's cards show and where they are, and storm threads. Every key of
/// an alert's state expires StateRetention after the alert was last seen open or written.
/// <see cref="RedisAlertLedger"/> keeps it in Redis (shared by every instance); <see cref="InMemoryAlertLedger"/>
/// in this process (one instance only).
/// </summary>
public interface IAlertLedger
{
    /// <summary>Takes the poller lease, or renews it when <paramref name="owner"/> holds it.</summary>
    Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration);

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it.</summary>
    Task ReleaseLeaseAsync(string owner);

    /// <summary>Who holds the poller lease (for status); null when nobody does.</summary>
    Task<string?> LeaseHolderAsync();

    /// <summary>The epoch, or null when there is none (a new state, or a lost one).</summary>
    Task<PipelineEpoch?> GetEpochAsync();

    /// <summary>Makes <paramref name="epoch"/> the epoch unless one exists; returns the one that stands.</summary>
    Task<PipelineEpoch> CreateEpochAsync(PipelineEpoch epoch);

    /// <summary>Records a poll's progress in the epoch (only while the epoch is still <paramref name="epoch"/>'s).</summary>
    Task<bool> UpdateEpochAsync(PipelineEpoch epoch);

    /// <summary>
    /// Records what a new alert's cards will show and starts watching it (open alerts are watched for
    /// changes made elsewhere). The snapshot is written only when none exists.
    /// </summary>
    Task WatchAsync(string alertId, AlertSnapshot snapshot, DateTimeOffset seenAt, TimeSpan retention);

    /// <summary>
    /// A poll saw a watched alert: its state keys stay alive another <paramref name="retention"/> and its
    /// snapshot is returned (null when there is none).
    /// </summary>
    Task<AlertSnapshot?> TouchAsync(string alertId, DateTimeOffset seenAt, TimeSpan retention);

    /// <summary>What the alert's cards last showed (null when nothing is recorded).</summary>
    Task<AlertSnapshot?> GetSnapshotAsync(string alertId);

    /// <summary>Records what the cards show now; an open alert stays watched, a resolved one is no longer.</summary>
    Task SetSnapshotAsync(string alertId, AlertSnapshot snapshot, bool open, DateTimeOffset now, TimeSpan retention);

    /// <summary>Stops watching an alert (it no longer exists).</summary>
    Task UnwatchAsync(string alertId);

    /// <summary>Ids of posted alerts that were open when last seen; alerts not seen for <paramref name="retention"/> are dropped first.</summary>
    Task<IReadOnlyList<string>> ListWatchedAsync(DateTimeOffset now, TimeSpan retention);

    /// <summary>The place of an alert's card in one conversation (with its triage and mitigation records read along).</summary>
    DeliverySlot CardSlot(string alertId, string conversationId);

    /// <summary>The place of a customer's storm root in one conversation.</summary>
    DeliverySlot StormSlot(string customerTenantId, string conversationId);

    /// <summary>Replaces a card record (after an edit); the record's expiry starts again.</summary>
    Task SetCardAsync(AlertCardPost post, TimeSpan retention);

    /// <summary>Every card of the alert, by conversation id.</summary>
    Task<IReadOnlyList<AlertCardPost>> ListCardsAsync(string alertId);

    /// <summary>The alert's card in one conversation (null when it has none).</summary>
    Task<AlertCardPost?> GetCardAsync(string alertId, string conversationId);

    /// <summary>
    /// Records a new alert of a customer (at its first sight; a second call keeps the first time) and
    /// returns how many of the customer's alerts were first seen within <paramref name="window"/>.
    /// </summary>
    Task<long> CountRecentAsync(string customerTenantId, string alertId, DateTimeOffset now, TimeSpan window);

    /// <summary>The customer's storm thread in a conversation, if one started within two windows; an older one is forgotten.</summary>
    Task<StormThread?> GetStormAsync(string customerTenantId, string conversationId, DateTimeOffset now, TimeSpan window);
}
