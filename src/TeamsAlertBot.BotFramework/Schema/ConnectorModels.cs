using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.BotFramework.Schema;

/// <summary>Body of <c>POST /v3/conversations</c>.</summary>
public sealed record ConversationParameters
{
    public bool? IsGroup { get; init; }

    public ChannelAccount? Bot { get; init; }

    public IReadOnlyList<ChannelAccount>? Members { get; init; }

    public string? TopicName { get; init; }

    public string? TenantId { get; init; }

    public Activity? Activity { get; init; }

    public TeamsChannelData? ChannelData { get; init; }
}

/// <summary>Answer to <c>POST /v3/conversations</c>.</summary>
public sealed record ConversationResourceResponse
{
    /// <summary>The new conversation; for a channel thread <c>&lt;channel&gt;;messageid=&lt;root&gt;</c>.</summary>
    public string? Id { get; init; }

    /// <summary>The id of the root activity (the posted message).</summary>
    public string? ActivityId { get; init; }

    public string? ServiceUrl { get; init; }
}

/// <summary>Answer to send, reply and update calls.</summary>
public sealed record ResourceResponse
{
    public string? Id { get; init; }
}

/// <summary>A conversation member as Teams describes it.</summary>
public sealed record TeamsChannelAccount
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadObjectId { get; init; }

    public string? Email { get; init; }

    public string? UserPrincipalName { get; init; }

    public string? GivenName { get; init; }

    public string? Surname { get; init; }

    public string? TenantId { get; init; }

    public string? UserRole { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>The connector's error envelope: <c>{"error":{"code","message"}}</c>.</summary>
public sealed record ErrorResponse
{
    public ErrorDetail? Error { get; init; }
}

/// <summary>A connector error.</summary>
public sealed record ErrorDetail
{
    public string? Code { get; init; }

    public string? Message { get; init; }
}
