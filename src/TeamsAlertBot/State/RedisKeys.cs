using StackExchange.Redis;

namespace TeamsAlertBot.State;

/// <summary>Every Redis key the bot uses, built in one place under a configurable prefix.</summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>The prefix every key starts with (e.g. <c>tab:</c>).</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Hash of one conversation: field <c>ref</c> (JSON reference) and <c>v:{name}</c> values.</summary>
    public RedisKey Conversation(string conversationId) => $"{Prefix}conv:{conversationId}";

    /// <summary>Hash of subscriptions: field = conversation id, value = JSON subscription.</summary>
    public RedisKey Subscriptions => $"{Prefix}subscriptions";

    /// <summary>Set of the conversation ids the bot knows in a team.</summary>
    public RedisKey Team(string teamId) => $"{Prefix}team:{teamId}";

    /// <summary>String: the instance that currently runs the alert poller (a lease with expiry).</summary>
    public RedisKey PollerLease => $"{Prefix}alerts:poller-lease";

    /// <summary>String: the poller's watermark (ISO 8601 UTC of the last completed poll).</summary>
    public RedisKey PollWatermark => $"{Prefix}alerts:watermark";

    /// <summary>String with expiry: set once, at the first sight of an alert.</summary>
    public RedisKey AlertSeen(string alertId) => $"{Prefix}alerts:seen:{alertId}";

    /// <summary>Hash: alert id → JSON snapshot of what its cards last showed.</summary>
    public RedisKey AlertSnapshots => $"{Prefix}alerts:snapshots";

    /// <summary>Set: ids of posted alerts that are still open (watched for changes).</summary>
    public RedisKey OpenAlerts => $"{Prefix}alerts:open";

    /// <summary>Hash: conversation id → JSON of the card an alert has there.</summary>
    public RedisKey AlertCards(string alertId) => $"{Prefix}alerts:cards:{alertId}";

    /// <summary>String with expiry: held while one dispatcher posts an alert into a conversation.</summary>
    public RedisKey AlertPosting(string alertId, string conversationId) => $"{Prefix}alerts:posting:{alertId}:{conversationId}";

    /// <summary>Stream of alert work (post, update) consumed by the dispatchers' group.</summary>
    public RedisKey AlertWork => $"{Prefix}alerts:work";

    /// <summary>Sorted set: a customer's recently posted alerts scored by time (storm detection).</summary>
    public RedisKey CustomerRecentAlerts(string customerTenantId) => $"{Prefix}alerts:recent:{customerTenantId}";

    /// <summary>Hash: conversation id → JSON of the open storm thread for a customer.</summary>
    public RedisKey CustomerStorm(string customerTenantId) => $"{Prefix}alerts:storm:{customerTenantId}";

    /// <summary>String: JSON of an alert's triage record (version and last decision).</summary>
    public RedisKey Triage(string alertId) => $"{Prefix}triage:{alertId}";

    /// <summary>String: JSON of an alert's mitigation record (the cancellation of its Azure subscription).</summary>
    public RedisKey Mitigation(string alertId) => $"{Prefix}mitigation:{alertId}";

    /// <summary>List: an alert's audit trail (JSON entries, oldest first).</summary>
    public RedisKey Audit(string alertId) => $"{Prefix}audit:{alertId}";

    /// <summary>
    /// String with expiry: the daily summary of a local date in a conversation — <c>claim:{instance}</c>
    /// while one instance sends it, <c>sent</c> once the connector accepted it.
    /// </summary>
    public RedisKey DigestSent(DateOnly day, string conversationId) =>
        $"{Prefix}digest:{day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}:{conversationId}";

    /// <summary>
    /// String with expiry: one SLA reminder stage of an alert in a conversation — <c>claim:{instance}</c>
    /// while one instance posts it, <c>sent</c> once the connector accepted it.
    /// </summary>
    public RedisKey SlaReminder(string alertId, string stage, string conversationId) => $"{Prefix}sla:{alertId}:{stage}:{conversationId}";

    /// <summary>String with expiry: a Partner Center webhook delivery already handled.</summary>
    public RedisKey WebhookDelivery(string deliveryId) => $"{Prefix}pcwh:{deliveryId}";

    /// <summary>List: the ASP.NET Core Data Protection key ring (XML key elements), shared by every instance.</summary>
    public RedisKey DataProtectionKeys => $"{Prefix}dataprotection:keys";

    /// <summary>Prefix of IDistributedCache entries (Partner Center enrichment).</summary>
    public string CacheInstanceName => $"{Prefix}cache:";

    /// <summary>The hash field of a conversation's reference.</summary>
    public static RedisValue ReferenceField => "ref";

    /// <summary>The hash field of a named conversation value.</summary>
    public static RedisValue ValueField(string name) => $"v:{name}";
}
