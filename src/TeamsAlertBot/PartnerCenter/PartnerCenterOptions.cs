using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Settings of the Partner Center REST client and of alert enrichment, bound from the
/// <c>PartnerCenter</c> configuration section and validated at start.
/// </summary>
public sealed class PartnerCenterOptions
{
    /// <summary>The configuration section this class is bound from.</summary>
    public const string SectionName = "PartnerCenter";

    /// <summary>The Partner Center REST origin (https only). Sovereign clouds use another one.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.partnercenter.microsoft.com";

    /// <summary>Scope of the app token presented to Partner Center (client credentials).</summary>
    [Required]
    public string Scope { get; set; } = "https://api.partnercenter.microsoft.com/.default";

    /// <summary>
    /// Scope of the App+User token (the secure application model): the partner admin's grant from
    /// <c>/admin/graph-consent</c>, redeemed for Partner Center. Asked for in that consent too. Empty:
    /// no App+User calls (the organization profile then says which setting is missing).
    /// </summary>
    public string UserScope { get; set; } = "https://api.partnercenter.microsoft.com/user_impersonation";

    /// <summary>
    /// Which calls carry the App+User token: <see cref="PartnerCenterUserAccess.WhereRequired"/> (the
    /// operations Partner Center serves to App+User only, e.g. the organization profile) or
    /// <see cref="PartnerCenterUserAccess.Always"/> (every call; for partners without app-only
    /// Partner Center access).
    /// </summary>
    public PartnerCenterUserAccess UserAccess { get; set; } = PartnerCenterUserAccess.WhereRequired;

    /// <summary>
    /// The Microsoft.Identity.Web options name that holds the app's credentials (the same app
    /// registration as the bot by default).
    /// </summary>
    [Required]
    public string AuthenticationOptionsName { get; set; } = "AzureAd";

    /// <summary>Sent as <c>MS-PartnerCenter-Application</c> so Microsoft can tell our calls apart.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9 ._\-]{1,64}$")]
    public string ApplicationName { get; set; } = "TeamsAlertBot";

    /// <summary>How long found customers, resellers and subscription names stay cached.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How long a "not found" answer stays cached, and how old a cached subscription list must be
    /// before an unknown subscription id makes the bot read the list again (new subscriptions).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long the answers of the query commands (customer, subscription, reseller, profile) stay
    /// cached. Short on purpose: people ask right after changing something. Zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan QueryCacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest one enrichment may take, all its calls together; then it returns what it has.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan EnrichmentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Offer ids (prefix match, case-insensitive) of the Azure plan; its <c>azureEntitlements</c>
    /// are the customer's Azure subscriptions. The offer name <c>Azure plan</c> is also recognised.
    /// </summary>
    public List<string> AzurePlanOfferIds { get; set; } = [];

    /// <summary>At most this many Azure plans of one customer are asked for entitlements.</summary>
    [Range(1, 20)]
    public int MaxAzurePlansPerCustomer { get; set; } = 5;

    /// <summary>Retries of a GET after 429 (honouring Retry-After), 5xx, a timeout or a transport error.</summary>
    [Range(1, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential backoff (with jitter) when no Retry-After is given.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one logical call, all attempts and waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Azure plan offer ids in effect (the configured ones, or the public Azure plan product id).</summary>
    internal IReadOnlyList<string> EffectiveAzurePlanOfferIds => AzurePlanOfferIds.Count > 0 ? AzurePlanOfferIds : ["DZH318Z0BCZC"];

    /// <summary>True for an Azure plan: an offer id starting with one of <see cref="EffectiveAzurePlanOfferIds"/>, or the offer name "Azure plan".</summary>
    internal bool IsAzurePlan(PartnerCenterSubscription subscription) =>
        EffectiveAzurePlanOfferIds.Any(id => subscription.OfferId?.StartsWith(id.Trim(), StringComparison.OrdinalIgnoreCase) == true)
        || string.Equals(subscription.OfferName?.Trim(), "Azure plan", StringComparison.OrdinalIgnoreCase);

    /// <summary>The base URL as a URI that ends in <c>/</c>, so relative paths keep any base path.</summary>
    internal Uri BaseUri => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);
}

/// <summary>Which Partner Center calls act for the partner admin who consented (App+User).</summary>
public enum PartnerCenterUserAccess
{
    /// <summary>Only the operations Partner Center serves to App+User alone; the rest app-only.</summary>
    WhereRequired,

    /// <summary>Every call.</summary>
    Always,
}

/// <summary>Checks what data annotations cannot: the base URL's shape and the timeouts' order.</summary>
internal sealed class PartnerCenterOptionsValidator : IValidateOptions<PartnerCenterOptions>
{
    public ValidateOptionsResult Validate(string? name, PartnerCenterOptions options)
    {
        List<string> failures = [];
        string path = PartnerCenterOptions.SectionName;
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out Uri? baseUrl))
        {
            failures.Add($"{path}:BaseUrl '{options.BaseUrl}' is not an absolute URL.");
        }
        else if (baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{path}:BaseUrl must use https: the bot sends its Partner Center token there.");
        }
        else if (!string.IsNullOrEmpty(baseUrl.UserInfo) || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            failures.Add($"{path}:BaseUrl must not carry user info, a query or a fragment.");
        }

        if (options.AttemptTimeout >= options.TotalRequestTimeout)
        {
            failures.Add($"{path}:AttemptTimeout ({options.AttemptTimeout}) must be shorter than {path}:TotalRequestTimeout ({options.TotalRequestTimeout}).");
        }

        if (!Enum.IsDefined(options.UserAccess))
        {
            failures.Add($"{path}:UserAccess must be WhereRequired or Always.");
        }

        if (options.AzurePlanOfferIds.Exists(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{path}:AzurePlanOfferIds must not contain empty entries.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
