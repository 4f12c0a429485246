using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsAlertBot.BotFramework.Schema;

/// <summary>The Teams-specific <c>channelData</c> of an activity.</summary>
public sealed record TeamsChannelData
{
    public TenantInfo? Tenant { get; init; }

    public TeamInfo? Team { get; init; }

    public ChannelInfo? Channel { get; init; }

    /// <summary>On conversationUpdate: teamMemberAdded, channelDeleted, teamDeleted, …</summary>
    public string? EventType { get; init; }

    public TeamsChannelDataSettings? Settings { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A tenant reference.</summary>
public sealed record TenantInfo
{
    public string? Id { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A team reference.</summary>
public sealed record TeamInfo
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? AadGroupId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>A channel reference.</summary>
public sealed record ChannelInfo
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Settings sent on installation: the channel the installer picked.</summary>
public sealed record TeamsChannelDataSettings
{
    public ChannelInfo? SelectedChannel { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
