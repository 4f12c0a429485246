using System.Net.Http.Headers;
using Microsoft.Identity.Client;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Access tokens for any API the partner admin consented to at <c>/admin/graph-consent</c> (the secure
/// application model): MSAL returns a cached token for the scope or redeems the stored refresh token
/// for it, silently. One refresh token serves every consented resource (Graph, Partner Center).
/// Throws <see cref="GraphDelegatedConsentRequiredException"/> when there is no usable grant.
/// </summary>
internal sealed class AdminGrantTokens(
    DelegatedAccountStore accounts,
    DelegatedClientApplications clients,
    ILogger<AdminGrantTokens> logger) : PartnerCenter.IPartnerCenterUserTokens
{
    /// <summary>A bearer header for <paramref name="scope"/>, acting for the consented admin.</summary>
    public async Task<AuthenticationHeaderValue> GetAuthorizationAsync(string scope, CancellationToken cancellationToken)
    {
        DelegatedAccount account = await accounts.GetAsync(cancellationToken)
            ?? throw Unusable(scope, DelegatedGrantProblem.NotConsented);

        IConfidentialClientApplication app = await clients.GetSilentClientAsync(cancellationToken);
        IAccount msalAccount = await app.GetAccountAsync(account.HomeAccountId)
            ?? throw Unusable(scope, DelegatedGrantProblem.GrantMissing);

        try
        {
            AuthenticationResult result = await app.AcquireTokenSilent([scope], msalAccount)
                .ExecuteAsync(cancellationToken);
            return new AuthenticationHeaderValue("Bearer", result.AccessToken);
        }
        catch (MsalUiRequiredException e)
        {
            // Only the code and correlation id travel on: MSAL's exception text can carry Entra ID's raw answer.
            throw Unusable(scope, DelegatedGrantProblem.GrantExpired, e.ErrorCode, e.CorrelationId);
        }
    }

    private GraphDelegatedConsentRequiredException Unusable(string scope, DelegatedGrantProblem problem, string? errorCode = null, string? correlationId = null)
    {
        DelegatedLog.GrantUnusable(logger, scope, problem, errorCode);
        return new GraphDelegatedConsentRequiredException(problem, errorCode, correlationId);
    }
}
