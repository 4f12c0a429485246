using System.Text.Json;
using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Alerts;

/// <summary>What a work item asks the dispatcher to do.</summary>
public enum AlertWorkKind
{
    /// <summary>Post the alert's card into one conversation (unless it is there already).</summary>
    Post,

    /// <summary>Re-render the alert's existing cards (its state changed).</summary>
    Update,

    /// <summary>Send a queued reply (one that found no send slot while its request was open).</summary>
    Reply,

    /// <summary>Tell a conversation that an alert's card was given up on (queued with its dead letter).</summary>
    Notice,
}

/// <summary>One unit of work, queued in a Redis stream partition.</summary>
public sealed record AlertWorkItem
{
    public required AlertWorkKind Kind { get; init; }

    /// <summary>The alert (Post, Update).</summary>
    public string? AlertId { get; init; }

    /// <summary>The subscribed conversation (Post, Reply), without thread suffix for a Post.</summary>
    public string? ConversationId { get; init; }

    /// <summary>For a Post: the thread the card goes into (the backfill posts under its summary); null = as subscriptions get cards.</summary>
    public string? Thread { get; init; }

    /// <summary>
    /// For a Post: check the conversation for the card before posting it — the state that would say
    /// whether it was posted was lost (queued after Redis lost its data).
    /// </summary>
    public bool Verify { get; init; }

    /// <summary>For a Post: the alert came in a storm of its customer's alerts (decided at first sight): threaded under the storm root.</summary>
    public bool Storm { get; init; }

    /// <summary>For a Reply: the <see cref="BotFramework.Hosting.QueuedReply"/> as JSON; for a Notice: why the card was given up on.</summary>
    public string? Payload { get; init; }

    /// <summary>For a Notice: how many attempts the card had.</summary>
    public long Attempts { get; init; }

    /// <summary>Whether the item names what its kind needs (work that does not is a dead letter at once).</summary>
    [JsonIgnore]
    public bool IsWellFormed => Kind switch
    {
        AlertWorkKind.Post or AlertWorkKind.Notice => this is { AlertId: not null, ConversationId: not null },
        AlertWorkKind.Update => AlertId is not null,
        AlertWorkKind.Reply => this is { ConversationId: not null, Payload: not null },
        _ => false,
    };

    /// <summary>The stream partition of this work: by alert, or by conversation for a reply.</summary>
    public string PartitionKey => AlertId ?? ConversationId ?? string.Empty;

    /// <summary>The card of <paramref name="alertId"/> for <paramref name="conversationId"/>.</summary>
    public static AlertWorkItem Post(string alertId, string conversationId, string? thread = null, bool verify = false) =>
        new() { Kind = AlertWorkKind.Post, AlertId = alertId, ConversationId = conversationId, Thread = thread, Verify = verify };

    /// <summary>Edit every card of <paramref name="alertId"/>.</summary>
    public static AlertWorkItem Update(string alertId) => new() { Kind = AlertWorkKind.Update, AlertId = alertId };
}

/// <summary>A work item as read from its stream, or why it could not be read.</summary>
/// <param name="EntryId">The stream entry id (for acknowledgement).</param>
/// <param name="Partition">The stream partition.</param>
/// <param name="Item">The work; null when the entry is malformed.</param>
/// <param name="DeliveryCount">How many times the entry has been handed to a consumer (this one included).</param>
public sealed record QueuedAlertWork(string EntryId, int Partition, AlertWorkItem? Item, long DeliveryCount);

/// <summary>A dead letter: work given up on, and why.</summary>
public sealed record DeadLetter(string EntryId, int Partition, AlertWorkItem? Item, string Reason, DateTimeOffset At);

/// <summary>Where an alert's card lives in one conversation, and which version it shows.</summary>
public sealed record AlertCardPost
{
    public required string AlertId { get; init; }

    /// <summary>The subscribed conversation (channel id without thread suffix).</summary>
    public required string ConversationId { get; init; }

    /// <summary>The conversation the card message is in (for a new thread: <c>channel;messageid=root</c>).</summary>
    public required string CardConversationId { get; init; }

    /// <summary>The card message's activity id (the PUT target); empty when the connector did not say.</summary>
    public required string ActivityId { get; init; }

    public required string ServiceUrl { get; init; }

    /// <summary>Increases with every edit; cards carry it so stale clicks can be told apart.</summary>
    public int Version { get; init; } = 1;

    public DateTimeOffset PostedAt { get; init; }
}

/// <summary>What an alert's cards last showed; a change means the cards must be edited.</summary>
public sealed record AlertSnapshot(
    [property: JsonConverter(typeof(JsonStringEnumConverter<AlertStatus>))] AlertStatus Status,
    [property: JsonConverter(typeof(JsonStringEnumConverter<AlertResolvedReason>))] AlertResolvedReason? ResolvedReason,
    string? ResolvedBy)
{
    public static AlertSnapshot Of(PartnerSecurityAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertSnapshot(alert.Status, alert.ResolvedReason, alert.ResolvedBy);
    }
}

/// <summary>A customer's storm thread in one conversation: alerts are threaded under its root card.</summary>
public sealed record StormThread(string ConversationId, string ThreadConversationId, string RootActivityId, DateTimeOffset StartedAt);

/// <summary>
/// The pipeline's epoch: made once when the state is new and again after Redis lost it. An instance
/// that knew an epoch and finds another (or none) knows the state was lost.
/// </summary>
/// <param name="Id">Random; changes only when the state is made anew.</param>
/// <param name="StartedAt">When it was made.</param>
/// <param name="Initialized">The first poll of this epoch has seen every open alert.</param>
/// <param name="Watermark">When the last complete poll began.</param>
/// <param name="ResumeFrom">After a loss: alerts detected after this are posted; older open ones are listed, not re-posted.</param>
public sealed record PipelineEpoch(string Id, DateTimeOffset StartedAt, bool Initialized, DateTimeOffset? Watermark, DateTimeOffset? ResumeFrom);

/// <summary>Serializer metadata for the pipeline's Redis values.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertWorkItem))]
[JsonSerializable(typeof(AlertCardPost))]
[JsonSerializable(typeof(AlertSnapshot))]
[JsonSerializable(typeof(StormThread))]
[JsonSerializable(typeof(PipelineEpoch))]
[JsonSerializable(typeof(SendRecord))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;

/// <summary>The JSON of the pipeline's stored values, the same in Redis and in memory.</summary>
internal static class AlertStateJson
{
    public static string Serialize(AlertCardPost post) => JsonSerializer.Serialize(post, AlertStateJsonContext.Default.AlertCardPost);

    public static string Serialize(StormThread storm) => JsonSerializer.Serialize(storm, AlertStateJsonContext.Default.StormThread);

    public static string Serialize(AlertSnapshot snapshot) => JsonSerializer.Serialize(snapshot, AlertStateJsonContext.Default.AlertSnapshot);

    public static string Serialize(PipelineEpoch epoch) => JsonSerializer.Serialize(epoch, AlertStateJsonContext.Default.PipelineEpoch);

    public static string Serialize(SendRecord send) => JsonSerializer.Serialize(send, AlertStateJsonContext.Default.SendRecord);

    /// <summary>A snapshot as stored read back; null when there is none.</summary>
    public static AlertSnapshot? ParseSnapshot(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.AlertSnapshot) : null;

    public static AlertCardPost? ParseCard(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.AlertCardPost) : null;

    public static StormThread? ParseStorm(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.StormThread) : null;

    public static PipelineEpoch? ParseEpoch(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.PipelineEpoch) : null;

    public static SendRecord? ParseSend(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.SendRecord) : null;
}
