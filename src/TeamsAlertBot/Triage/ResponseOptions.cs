using System.ComponentModel.DataAnnotations;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>Settings of the guided response, the customer notification draft and the support packet (<c>Response</c> section).</summary>
public sealed class ResponseOptions
{
    public const string SectionName = "Response";

    /// <summary>The Azure portal the checklist links to (a sovereign cloud has its own).</summary>
    [Required]
    public Uri AzurePortalUrl { get; set; } = ResponsePortals.Default.AzurePortal;

    /// <summary>The Microsoft Entra admin center the checklist links to (sign-in logs, users, risky users).</summary>
    [Required]
    public Uri EntraAdminCenterUrl { get; set; } = ResponsePortals.Default.EntraAdminCenter;

    /// <summary>The support packet's link: where the partner opens a support request.</summary>
    [Required]
    public Uri SupportUrl { get; set; } = ResponsePortals.Default.Support;

    /// <summary>How far before the first and after the last observed activity the log links reach.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan LogWindowMargin { get; set; } = ResponsePortals.Default.WindowMargin;

    /// <summary>The partner tenant named in the support packet; empty = <c>AzureAd:TenantId</c>.</summary>
    public string? PartnerTenantId { get; set; }

    /// <summary>The portals as the cards use them.</summary>
    public ResponsePortals Portals => new(AzurePortalUrl, EntraAdminCenterUrl, SupportUrl, LogWindowMargin);

    /// <summary>Every URL absolute and https (a link on a card must not point anywhere else).</summary>
    public bool UrlsAreHttps() =>
        new[] { AzurePortalUrl, EntraAdminCenterUrl, SupportUrl }.All(u => u is { IsAbsoluteUri: true } && u.Scheme == Uri.UriSchemeHttps);
}
