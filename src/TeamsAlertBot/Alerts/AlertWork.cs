using System.Text.Json.Serialization;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Alerts;

/// <summary>What a work item asks the dispatcher to do.</summary>
public enum AlertWorkKind
{
    /// <summary>Post the alert's card to every subscribed conversation that does not have it yet.</summary>
    Post,

    /// <summary>Re-render the alert's existing cards (its state changed).</summary>
    Update,
}

/// <summary>One unit of alert work, queued in the Redis stream.</summary>
public sealed record AlertWorkItem(AlertWorkKind Kind, string AlertId);

/// <summary>A queued work item and its stream entry id (for acknowledgement).</summary>
public sealed record QueuedAlertWork(string EntryId, AlertWorkItem Item, long DeliveryCount);

/// <summary>Where an alert's card lives in one conversation, and which version it shows.</summary>
public sealed record AlertCardPost
{
    public required string AlertId { get; init; }

    /// <summary>The subscribed conversation (channel id without thread suffix).</summary>
    public required string ConversationId { get; init; }

    /// <summary>The conversation the card message is in (for a new thread: <c>channel;messageid=root</c>).</summary>
    public required string CardConversationId { get; init; }

    /// <summary>The card message's activity id (the PUT target).</summary>
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

/// <summary>Serializer metadata for the pipeline's Redis values.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertWorkItem))]
[JsonSerializable(typeof(AlertCardPost))]
[JsonSerializable(typeof(AlertSnapshot))]
[JsonSerializable(typeof(StormThread))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;
