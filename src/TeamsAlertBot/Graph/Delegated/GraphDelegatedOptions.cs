using System.ComponentModel.DataAnnotations;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>Which Graph token the bot sends (<c>Graph:Delegated:Mode</c>).</summary>
public enum GraphDelegatedMode
{
    /// <summary>App-only tokens only, as without this feature.</summary>
    Off,

    /// <summary>App-only first; after Graph answers <c>Unauthorized_MissingMFA</c>, delegated for a while, then app-only again.</summary>
    Fallback,

    /// <summary>Delegated tokens only (the partner admin's secure-application-model grant).</summary>
    Always,
}

/// <summary>
/// Settings of delegated Graph access through the secure application model (<c>Graph:Delegated</c>
/// section). The app registration, authority and credentials are the <c>AzureAd</c> section's.
/// </summary>
public sealed class GraphDelegatedOptions : IValidatableObject
{
    public const string SectionName = "Graph:Delegated";

    /// <summary>Which token the Graph client sends. Read once at start.</summary>
    public GraphDelegatedMode Mode { get; set; } = GraphDelegatedMode.Off;

    /// <summary>
    /// Whether the consent endpoints (<c>/admin/graph-consent</c>) answer; when false they answer 404.
    /// Turn on to (re)consent, and off again afterwards: the grant stays usable.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>In <see cref="GraphDelegatedMode.Fallback"/>: how long to use delegated tokens before trying app-only again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RetryAppOnlyAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Object ids (GUIDs) of the partner-tenant users who may consent. Required while
    /// <see cref="Enabled"/> is true: a consent replaces the grant the bot acts with, so "any member of
    /// the partner tenant" is never the default. Empty = nobody.
    /// </summary>
    public IList<string> AllowedAdminObjectIds { get; } = [];

    /// <summary>
    /// Requests the consent endpoints answer per minute, all visitors together (the rest get 429). An
    /// admin consents with two requests; anonymous traffic gets no further than that.
    /// </summary>
    [Range(1, 1000)]
    public int ConsentRequestsPerMinute { get; set; } = 10;

    /// <summary>The delegated Graph permission the grant is for (updates need ReadWrite).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Scope { get; set; } = "https://graph.microsoft.com/PartnerSecurity.ReadWrite.All";

    /// <summary>
    /// The callback URL registered in the app registration (Web platform). Empty = built from the
    /// request (<c>{scheme}://{host}{pathBase}/admin/graph-consent/callback</c>); set it when a proxy
    /// terminates TLS in front of the bot.
    /// </summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>How long a started consent may take, from the redirect to the callback.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when anything of this feature is on (consent endpoints or delegated tokens).</summary>
    internal bool IsInUse => Enabled || Mode != GraphDelegatedMode.Off;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Mode))
        {
            yield return new ValidationResult($"{SectionName}:Mode must be Off, Fallback or Always.", [nameof(Mode)]);
        }

        if (Enabled && AllowedAdminObjectIds.Count == 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:Enabled is true, but {SectionName}:AllowedAdminObjectIds is empty: list the object ids of the partner admins who may consent (a consent replaces the grant the bot uses), or turn the consent endpoints off.",
                [nameof(AllowedAdminObjectIds)]);
        }

        foreach (string id in AllowedAdminObjectIds)
        {
            if (!Guid.TryParse(id, out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:AllowedAdminObjectIds holds '{id}', which is not an object id (GUID) of a partner-tenant user.",
                    [nameof(AllowedAdminObjectIds)]);
            }
        }

        if (RedirectUri is { } redirect && !IsAcceptableRedirect(redirect))
        {
            yield return new ValidationResult(
                $"{SectionName}:RedirectUri must be an absolute https URL (http only for localhost) without query or fragment, ending in {GraphConsentEndpoints.CallbackPath} (got '{redirect}').",
                [nameof(RedirectUri)]);
        }
    }

    /// <summary>True when <paramref name="objectId"/> is on <see cref="AllowedAdminObjectIds"/> (an empty list admits nobody).</summary>
    internal bool IsAllowedAdmin(string? objectId) =>
        Guid.TryParse(objectId, out Guid oid) && AllowedAdminObjectIds.Any(id => Guid.TryParse(id, out Guid allowed) && allowed == oid);

    private static bool IsAcceptableRedirect(Uri redirect) =>
        redirect.IsAbsoluteUri
        && (redirect.Scheme == Uri.UriSchemeHttps || (redirect.Scheme == Uri.UriSchemeHttp && redirect.IsLoopback))
        && string.IsNullOrEmpty(redirect.Query)
        && string.IsNullOrEmpty(redirect.Fragment)
        && redirect.AbsolutePath.EndsWith(GraphConsentEndpoints.CallbackPath, StringComparison.Ordinal);
}
