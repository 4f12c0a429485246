using System.Text.Json.Serialization;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.State;

/// <summary>
/// What the bot needs to post into a conversation later (proactively): where its connector is,
/// which tenant, team and channel it belongs to. Keyed by the conversation id without a thread suffix.
/// </summary>
public sealed record ConversationReference
{
    /// <summary>The conversation id; for a channel, the channel id (no <c>;messageid=</c>).</summary>
    public required string ConversationId { get; init; }

    /// <summary>The connector base URL; refreshed from every inbound activity.</summary>
    public required string ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    /// <summary>personal, groupChat or channel.</summary>
    public string? ConversationType { get; init; }

    public string? ConversationName { get; init; }

    public string? TenantId { get; init; }

    public string? TeamId { get; init; }

    public string? TeamName { get; init; }

    public string? TeamAadGroupId { get; init; }

    /// <summary>The bot's own account in this conversation (<c>28:&lt;appId&gt;</c>).</summary>
    public string? BotId { get; init; }

    public string? BotName { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The reference of the conversation an activity came from, or null when the activity lacks a
    /// conversation id or service URL.
    /// </summary>
    public static ConversationReference? FromActivity(Activity activity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string? conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return null;
        }

        TeamsChannelData? data = activity.ChannelData;
        return new ConversationReference
        {
            ConversationId = BaseConversationId(conversationId),
            ServiceUrl = activity.ServiceUrl,
            ChannelId = activity.ChannelId,
            ConversationType = activity.Conversation?.ConversationType,
            ConversationName = activity.Conversation?.Name ?? data?.Channel?.Name,
            TenantId = data?.Tenant?.Id ?? activity.Conversation?.TenantId,
            TeamId = data?.Team?.Id,
            TeamName = data?.Team?.Name,
            TeamAadGroupId = data?.Team?.AadGroupId,
            BotId = activity.Recipient?.Id,
            BotName = activity.Recipient?.Name,
            UpdatedAt = now,
        };
    }

    /// <summary>A conversation id without its thread suffix.</summary>
    public static string BaseConversationId(string conversationId) => SendRateLimiter.ConversationKey(conversationId);
}

/// <summary>A conversation that receives partner security alerts.</summary>
public sealed record ChannelSubscription
{
    public required string ConversationId { get; init; }

    /// <summary>Display name of who subscribed.</summary>
    public string? SubscribedBy { get; init; }

    /// <summary>Entra object id of who subscribed.</summary>
    public string? SubscribedByAadObjectId { get; init; }

    public DateTimeOffset SubscribedAt { get; init; }
}

/// <summary>Serializer metadata for stored state.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(ChannelSubscription))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
