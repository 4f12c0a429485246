using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Authentication;

/// <summary>Why an authenticated request was still refused once its activity was read.</summary>
public enum ActivityAuthorizationFailure
{
    /// <summary>Nothing wrong.</summary>
    None,

    /// <summary>The token has no <c>serviceurl</c> claim.</summary>
    MissingServiceUrlClaim,

    /// <summary>The <c>serviceurl</c> claim differs from the activity's <c>serviceUrl</c>.</summary>
    ServiceUrlMismatch,

    /// <summary>The signing key is not endorsed for the activity's channel.</summary>
    KeyNotEndorsed,

    /// <summary>The activity's tenant is not on the allow-list.</summary>
    TenantNotAllowed,
}

/// <summary>
/// The checks that need both the validated token and the activity: the <c>serviceurl</c> claim, the
/// signing key's endorsement for the channel, and the tenant allow-list (the bot's own tenant plus
/// <see cref="BotFrameworkOptions.AllowedTenants"/>).
/// </summary>
public sealed class ActivityAuthorizer(IOptions<BotFrameworkOptions> options, IOptions<BotIdentity> identity)
{
    /// <summary>Checks an activity that arrived with a validated channel token.</summary>
    public ActivityAuthorizationFailure AuthorizeAuthenticated(HttpContext context, Activity activity)
    {
        ClaimsPrincipal user = context.User;
        string? serviceUrlClaim = user.FindFirst(BotAuthenticationDefaults.ServiceUrlClaim)?.Value;
        if (string.IsNullOrEmpty(serviceUrlClaim))
        {
            return ActivityAuthorizationFailure.MissingServiceUrlClaim;
        }

        // Compared as the Bot Framework SDK does: case-insensitive, no slash normalisation.
        if (!string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return ActivityAuthorizationFailure.ServiceUrlMismatch;
        }

        string[] endorsements = context.Items[BotAuthenticationDefaults.EndorsementsItem] as string[] ?? [];
        if (string.IsNullOrEmpty(activity.ChannelId)
            || !endorsements.Contains(activity.ChannelId, StringComparer.OrdinalIgnoreCase))
        {
            return ActivityAuthorizationFailure.KeyNotEndorsed;
        }

        return AuthorizeTenant(activity);
    }

    /// <summary>
    /// Checks the tenant: the bot's own (<c>AzureAd:TenantId</c>) or a listed one. A bot with neither —
    /// possible only in anonymous Development mode — serves every tenant.
    /// </summary>
    public ActivityAuthorizationFailure AuthorizeTenant(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        string? own = identity.Value.TenantId;
        List<string> listed = options.Value.AllowedTenants;
        if (string.IsNullOrWhiteSpace(own) && listed.Count == 0)
        {
            return ActivityAuthorizationFailure.None;
        }

        string? tenant = activity.ChannelData?.Tenant?.Id ?? activity.Conversation?.TenantId;
        return tenant is not null
            && (SameTenant(tenant, own) || listed.Any(t => SameTenant(tenant, t)))
            ? ActivityAuthorizationFailure.None
            : ActivityAuthorizationFailure.TenantNotAllowed;
    }

    private static bool SameTenant(string tenant, string? allowed) =>
        allowed is not null && string.Equals(tenant.Trim(), allowed.Trim(), StringComparison.OrdinalIgnoreCase);
}
