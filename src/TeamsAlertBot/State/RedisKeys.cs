using System.Globalization;
using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;

namespace TeamsAlertBot.State;

/// <summary>
/// Every Redis key the bot uses, built in one place under a configurable prefix. Redis Cluster (and
/// Azure Managed Redis) runs a script or transaction only when all its keys are in one hash slot, so
/// keys that change together share a hash tag (the part in <c>{…}</c>): everything about one alert
/// has <c>{a:&lt;alert id&gt;}</c>; a work partition's stream, its first-sight markers and its dead
/// letters have <c>{w:&lt;n&gt;}</c>; a customer's storm has <c>{s:&lt;tenant&gt;}</c>. Keys that are
/// only ever used alone carry no tag.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>How many partitions the alert work is spread over (streams with their own hash tag, so several shards share the load).</summary>
    public const int WorkPartitions = 4;

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

    /// <summary>
    /// String: the pipeline's epoch (JSON) — made once when the state is new, and again after Redis lost
    /// its data, which is how the loss is noticed. Its hash tag is the subscriptions key, so both live in
    /// one hash slot: on a cluster, the shard that loses the subscriptions (a failover to an empty
    /// replica) loses the epoch with them, and the loss is noticed and the subscriptions put back.
    /// </summary>
    public RedisKey Epoch => $"{{{Subscriptions}}}:alerts-epoch";

    /// <summary>Sorted set: ids of posted alerts still open (watched for changes), scored by when a poll last saw them.</summary>
    public RedisKey WatchedAlerts => $"{Prefix}alerts:watched";

    /// <summary>The hash tag of one alert's keys.</summary>
    private string AlertTag(string alertId) => $"{Prefix}{{a:{alertId}}}";

    /// <summary>String with expiry: JSON snapshot of what the alert's cards last showed.</summary>
    public RedisKey AlertSnapshot(string alertId) => $"{AlertTag(alertId)}:snapshot";

    /// <summary>Hash: conversation id → JSON of the card the alert has there (delivered).</summary>
    public RedisKey AlertCards(string alertId) => $"{AlertTag(alertId)}:cards";

    /// <summary>Hash: conversation id → JSON of a send of the alert's card that is running or whose outcome is unknown.</summary>
    public RedisKey AlertSends(string alertId) => $"{AlertTag(alertId)}:sends";

    /// <summary>String: JSON of an alert's triage record (version and last decision).</summary>
    public RedisKey Triage(string alertId) => $"{AlertTag(alertId)}:triage";

    /// <summary>String: JSON of an alert's mitigation record (the cancellation of its Azure subscription).</summary>
    public RedisKey Mitigation(string alertId) => $"{AlertTag(alertId)}:mitigation";

    /// <summary>Hash: an alert's guided-response checklist, field <c>{triage version}:{step}</c> → JSON of the tick (who, when).</summary>
    public RedisKey ResponseChecklist(string alertId) => $"{AlertTag(alertId)}:checklist";

    /// <summary>List: an alert's audit trail (JSON entries, oldest first).</summary>
    public RedisKey Audit(string alertId) => $"{AlertTag(alertId)}:audit";

    /// <summary>
    /// String with expiry: one SLA reminder stage of an alert in a conversation — <c>claim:{instance}</c>
    /// while one instance posts it, <c>sent</c> once the connector accepted it.
    /// </summary>
    public RedisKey SlaReminder(string alertId, string stage, string conversationId) => $"{AlertTag(alertId)}:sla:{stage}:{conversationId}";

    /// <summary>Every key of one alert's state (for expiry refreshes and tests).</summary>
    public RedisKey[] AlertState(string alertId) =>
        [AlertSnapshot(alertId), AlertCards(alertId), AlertSends(alertId), Triage(alertId), Mitigation(alertId), Audit(alertId), ResponseChecklist(alertId)];

    /// <summary>The work partition of an alert or a conversation (stable: a hash of the id).</summary>
    public static int PartitionOf(string id) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(id)) % WorkPartitions);

    private string WorkTag(int partition) => $"{Prefix}{{w:{partition.ToString(CultureInfo.InvariantCulture)}}}";

    /// <summary>Stream of one partition's work (post, update, reply) consumed by the dispatchers' group.</summary>
    public RedisKey Work(int partition) => $"{WorkTag(partition)}:work";

    /// <summary>Hash: stream entry id → why its last attempt failed (kept for the dead letter).</summary>
    public RedisKey WorkErrors(int partition) => $"{WorkTag(partition)}:errors";

    /// <summary>Stream of one partition's dead letters: work that failed too often, or could not be read.</summary>
    public RedisKey DeadLetters(int partition) => $"{WorkTag(partition)}:dead";

    /// <summary>String with expiry: set once, at the first sight of an alert (in its work partition, so first sight and queuing are one script).</summary>
    public RedisKey AlertSeen(string alertId) => $"{WorkTag(PartitionOf(alertId))}:seen:{alertId}";

    /// <summary>Sorted set: a customer's recently posted alerts scored by first sight (storm detection).</summary>
    public RedisKey CustomerRecentAlerts(string customerTenantId) => $"{Prefix}alerts:recent:{customerTenantId}";

    /// <summary>Hash: conversation id → JSON of the customer's storm thread there (delivered).</summary>
    public RedisKey CustomerStorm(string customerTenantId) => $"{Prefix}{{s:{customerTenantId}}}:storm";

    /// <summary>Hash: conversation id → JSON of a send of the customer's storm root that is running or whose outcome is unknown.</summary>
    public RedisKey CustomerStormSends(string customerTenantId) => $"{Prefix}{{s:{customerTenantId}}}:storm-sends";

    /// <summary>The hash tag of bulk triage: the claim, proposals, runs and their items change together.</summary>
    private string BulkTag => $"{Prefix}{{bulk}}";

    /// <summary>String: the id of the bulk run that holds the bulk claim (one run at a time).</summary>
    public RedisKey BulkActive => $"{BulkTag}:active";

    /// <summary>String with expiry: a proposed bulk run (JSON) awaiting its confirmation.</summary>
    public RedisKey BulkProposal(string id) => $"{BulkTag}:proposal:{id}";

    /// <summary>String with expiry: a bulk run's definition (JSON).</summary>
    public RedisKey BulkRun(string id) => $"{BulkTag}:run:{id}";

    /// <summary>Hash: alert id → where that alert stands in the bulk run.</summary>
    public RedisKey BulkItems(string id) => $"{BulkTag}:items:{id}";

    /// <summary>String with expiry: the instance running the active bulk run (a lease).</summary>
    public RedisKey BulkLease => $"{BulkTag}:lease";

    /// <summary>
    /// The storm overviews' keys, one hash tag so each step is one script on a cluster too. Fields and
    /// members are storms (<c>customer|conversation</c>): <c>root</c> (JSON of the storm card),
    /// <c>act</c> (its activity id), <c>gen</c> (marks so far), <c>urgent</c>, <c>tries</c>, <c>run</c>
    /// (the bulk run it shows), <c>last</c> (the last overview shown, JSON); sorted sets <c>due</c>
    /// (marked, when to render), <c>busy</c> (claimed, until when) and <c>seen</c> (when registered).
    /// </summary>
    public RedisKey StormOverview(string part) => $"{Prefix}{{storm-overview}}:{part}";

    /// <summary>String with expiry: the dead-letter or recovery notice of one conversation, claimed once.</summary>
    public RedisKey Notice(string conversationId, string notice) => $"{Prefix}notice:{notice}:{conversationId}";

    /// <summary>
    /// String with expiry: the daily summary of a local date in a conversation — <c>claim:{instance}</c>
    /// while one instance sends it, <c>sent</c> once the connector accepted it.
    /// </summary>
    public RedisKey DigestSent(DateOnly day, string conversationId) =>
        $"{Prefix}digest:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{conversationId}";

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
