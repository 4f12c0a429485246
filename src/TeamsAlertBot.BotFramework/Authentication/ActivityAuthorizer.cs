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
/// signing key's endorsement for the channel, and the tenant allow-list.
/// </summary>
public sealed class ActivityAuthorizer(IOptions<BotFrameworkOptions> options)
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

    /// <summary>Checks the tenant allow-list (applies in every mode).</summary>
    public ActivityAuthorizationFailure AuthorizeTenant(Activity activity)
    {
        List<string> allowed = options.Value.AllowedTenants;
        if (allowed.Count == 0)
        {
            return ActivityAuthorizationFailure.None;
        }

        string? tenant = activity.ChannelData?.Tenant?.Id ?? activity.Conversation?.TenantId;
        return tenant is not null && allowed.Contains(tenant, StringComparer.OrdinalIgnoreCase)
            ? ActivityAuthorizationFailure.None
            : ActivityAuthorizationFailure.TenantNotAllowed;
    }
}
