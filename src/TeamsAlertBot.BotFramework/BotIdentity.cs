namespace TeamsAlertBot.BotFramework;

/// <summary>
/// The bot's Entra identity as Microsoft.Identity.Web reads it from the <c>AzureAd</c> section.
/// The app id is both the audience of inbound tokens and the client of outbound ones.
/// </summary>
public sealed class BotIdentity
{
    /// <summary>The configuration section Microsoft.Identity.Web binds.</summary>
    public const string SectionName = "AzureAd";

    /// <summary>The bot's Entra application (client) id; empty in anonymous mode.</summary>
    public string? ClientId { get; set; }

    /// <summary>The tenant the app registration lives in (single-tenant bots).</summary>
    public string? TenantId { get; set; }

    /// <summary>True when an app id is configured and tokens are validated and sent.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}
