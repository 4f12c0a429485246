using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.BotFramework;

/// <summary>
/// Settings of the Bot Framework protocol layer, bound from the <c>Bot</c> configuration section.
/// The bot's identity (app id, tenant, credentials) lives in the <c>AzureAd</c> section that
/// Microsoft.Identity.Web reads; see <see cref="BotIdentity"/>.
/// </summary>
public sealed class BotFrameworkOptions
{
    /// <summary>The configuration section this class is bound from.</summary>
    public const string SectionName = "Bot";

    /// <summary>
    /// Accept activities without a token and send replies without one. Only for local runs with the
    /// Agents Playground; refused at start-up in every environment but Development, and beside an app id.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>OpenID metadata of the Bot Framework channel token issuer.</summary>
    [Required]
    [Url]
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The issuer of channel tokens (<c>iss</c>), exactly.</summary>
    [Required]
    public string ChannelIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Scope of the app token the bot presents to the Bot Connector.</summary>
    [Required]
    public string ConnectorScope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>
    /// Origins the bot may call (scheme, host and port; no port = the scheme's default). Replies,
    /// cards and tokens go to these only; an activity whose <c>serviceUrl</c> is elsewhere gets no
    /// outbound request. A bearer token is never attached to a plain-http origin.
    /// </summary>
    [Required]
    [MinLength(1)]
    public List<string> AllowedServiceUrls { get; set; } =
    [
        "https://smba.trafficmanager.net",
        "https://smba.infra.gcc.teams.microsoft.com",
        "https://smba.infra.gov.teams.microsoft.us",
        "https://smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary>
    /// Tenants served besides the bot's own (<c>AzureAd:TenantId</c>), by <c>channelData.tenant.id</c>.
    /// Activities of any other tenant get 403. Only in anonymous mode without a tenant id, with this
    /// list empty, is every tenant served (the Agents Playground's mock tenant).
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>Largest request body accepted on the messaging endpoint.</summary>
    [Range(4 * 1024, 4 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long an invoke may run before the bot answers with an interim message.</summary>
    public TimeSpan InvokeAnswerBudget { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Shortest time between two refreshes of the OpenID metadata (an unknown key id asks for one).</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Teams' per-conversation and per-app send limits; see <see cref="SendRateLimits"/>.</summary>
    public SendRateLimits SendLimits { get; set; } = new();
}

/// <summary>
/// Teams' documented send limits (per bot per conversation, and per app per tenant).
/// Bursts wait for a free slot instead of bouncing off a 429.
/// </summary>
public sealed class SendRateLimits
{
    /// <summary>Windows that apply to each conversation (a channel and its threads count as one).</summary>
    public List<RateWindow> PerConversation { get; set; } =
    [
        new() { Window = TimeSpan.FromSeconds(1), Limit = 7 },
        new() { Window = TimeSpan.FromSeconds(2), Limit = 8 },
        new() { Window = TimeSpan.FromSeconds(30), Limit = 60 },
        new() { Window = TimeSpan.FromHours(1), Limit = 1800 },
    ];

    /// <summary>Windows that apply to all of the app's connector calls together.</summary>
    public List<RateWindow> Global { get; set; } =
    [
        new() { Window = TimeSpan.FromSeconds(1), Limit = 50 },
    ];

    /// <summary>The longest a send waits for a slot before it fails.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest a reply waits for a slot while the incoming activity's HTTP request is open; past it
    /// the reply is queued and sent afterwards (Teams gives up on a request after 15 seconds).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan ReplyMaxWait { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>At most <see cref="Limit"/> requests in any sliding <see cref="Window"/>.</summary>
public sealed class RateWindow
{
    public TimeSpan Window { get; set; }

    public int Limit { get; set; }
}
