using System.Net.Http.Headers;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// App+User tokens for Partner Center: the app acting for the partner admin who consented once (the
/// secure application model). Registered by the delegated-access feature (<c>AddGraphDelegatedAccess</c>),
/// whose consent covers Partner Center too.
/// </summary>
public interface IPartnerCenterUserTokens
{
    /// <summary>A bearer header for <paramref name="scope"/>; throws when no admin's grant is usable.</summary>
    Task<AuthenticationHeaderValue> GetAuthorizationAsync(string scope, CancellationToken cancellationToken);
}

/// <summary>Marks a Partner Center request that Partner Center serves to App+User tokens only.</summary>
public static class PartnerCenterUserAccessOption
{
    /// <summary>Set on a request that needs App+User; the authentication handler reads it.</summary>
    public static readonly HttpRequestOptionsKey<bool> Required = new("TeamsAlertBot.PartnerCenter.AppUserRequired");
}
