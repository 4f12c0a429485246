using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.BotFramework.Schema;

/// <summary>
/// A Bot Framework activity as Teams sends and receives it. Unknown fields are kept in
/// <see cref="AdditionalProperties"/> so that a round trip never loses data the channel added.
/// </summary>
public sealed record Activity
{
    /// <summary>The activity type, compared ordinally (see <see cref="ActivityTypes"/>).</summary>
    public string? Type { get; init; }

    public string? Id { get; init; }

    /// <summary>UTC time the channel sent the activity, kept as sent (ISO 8601).</summary>
    public string? Timestamp { get; init; }

    public string? LocalTimestamp { get; init; }

    public string? LocalTimezone { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public ChannelAccount? From { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public string? TextFormat { get; init; }

    public string? Text { get; init; }

    public string? Summary { get; init; }

    public string? Locale { get; init; }

    public string? AttachmentLayout { get; init; }

    /// <summary>Elements may be null on the wire.</summary>
    public IReadOnlyList<Attachment?>? Attachments { get; init; }

    /// <summary>Elements may be null on the wire.</summary>
    public IReadOnlyList<Entity?>? Entities { get; init; }

    public TeamsChannelData? ChannelData { get; init; }

    /// <summary>Programmatic payload: card action data or invoke parameters.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>Invoke or event name, e.g. <c>adaptiveCard/action</c>.</summary>
    public string? Name { get; init; }

    public string? ReplyToId { get; init; }

    /// <summary>On <c>installationUpdate</c>: add, remove, add-upgrade, remove-upgrade.</summary>
    public string? Action { get; init; }

    /// <summary>Elements may be null on the wire.</summary>
    public IReadOnlyList<ChannelAccount?>? MembersAdded { get; init; }

    /// <summary>Elements may be null on the wire.</summary>
    public IReadOnlyList<ChannelAccount?>? MembersRemoved { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Activity type names (ordinal).</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string MessageReaction = "messageReaction";
    public const string MessageUpdate = "messageUpdate";
    public const string MessageDelete = "messageDelete";
    public const string Event = "event";
    public const string Typing = "typing";
    public const string EndOfConversation = "endOfConversation";
}

/// <summary>A user or bot in a conversation.</summary>
public sealed record ChannelAccount
{
    /// <summary>Channel-specific id: <c>29:…</c> for users, <c>28:&lt;appId&gt;</c> for the bot.</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The Entra object id of a user.</summary>
    public string? AadObjectId { get; init; }

    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The conversation an activity belongs to.</summary>
public sealed record ConversationAccount
{
    /// <summary>Conversation id; a channel thread reads <c>19:…@thread.tacv2;messageid=&lt;root&gt;</c>.</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    public bool? IsGroup { get; init; }

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An attachment; for cards <see cref="Content"/> is the card object.</summary>
public sealed record Attachment
{
    public required string ContentType { get; init; }

    /// <summary>Serialized by its runtime type when sending; a <see cref="JsonElement"/> when received.</summary>
    public object? Content { get; init; }

    public string? ContentUrl { get; init; }

    public string? Name { get; init; }

    public string? ThumbnailUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>An activity entity: a mention, client info and others (kept as extension data).</summary>
public sealed record Entity
{
    public string? Type { get; init; }

    /// <summary>For <c>mention</c>: who is mentioned.</summary>
    public ChannelAccount? Mentioned { get; init; }

    /// <summary>For <c>mention</c>: the <c>&lt;at&gt;…&lt;/at&gt;</c> text that occurs in the activity text.</summary>
    public string? Text { get; init; }

    /// <summary>
    /// A Teams mention of the user <paramref name="id"/> (an Entra object id or a <c>29:</c> id):
    /// the activity's text must contain this entity's <see cref="Text"/>, <c>&lt;at&gt;name&lt;/at&gt;</c>.
    /// </summary>
    public static Entity Mention(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // Angle brackets would break the <at> tag Teams matches the entity with.
        string shown = name.Replace("<", string.Empty, StringComparison.Ordinal).Replace(">", string.Empty, StringComparison.Ordinal).Trim();
        return new Entity
        {
            Type = "mention",
            Text = $"<at>{shown}</at>",
            Mentioned = new ChannelAccount { Id = id, Name = shown },
        };
    }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
