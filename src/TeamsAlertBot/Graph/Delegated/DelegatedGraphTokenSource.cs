using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// Delegated Graph tokens for the partner admin who consented at <c>/admin/graph-consent</c> (the
/// secure application model): MSAL returns the cached access token or redeems the stored refresh
/// token, silently. Throws <see cref="GraphDelegatedConsentRequiredException"/> when there is no
/// usable grant.
/// </summary>
internal sealed class DelegatedGraphTokenSource(
    DelegatedAccountStore accounts,
    DelegatedClientApplications clients,
    IOptionsMonitor<GraphDelegatedOptions> options,
    ILogger<DelegatedGraphTokenSource> logger) : IGraphTokenSource
{
    public GraphAccessKind AccessKind => GraphAccessKind.Delegated;

    public async Task<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        DelegatedAccount account = await accounts.GetAsync(cancellationToken)
            ?? throw Unusable(DelegatedGrantProblem.NotConsented);

        IConfidentialClientApplication app = await clients.GetSilentClientAsync(cancellationToken);
        IAccount msalAccount = await app.GetAccountAsync(account.HomeAccountId)
            ?? throw Unusable(DelegatedGrantProblem.GrantMissing);

        try
        {
            AuthenticationResult result = await app.AcquireTokenSilent([options.CurrentValue.Scope], msalAccount)
                .ExecuteAsync(cancellationToken);
            return new AuthenticationHeaderValue("Bearer", result.AccessToken);
        }
        catch (MsalUiRequiredException e)
        {
            // Only the code and correlation id travel on: MSAL's exception text can carry Entra ID's raw answer.
            throw Unusable(DelegatedGrantProblem.GrantExpired, e.ErrorCode, e.CorrelationId);
        }
    }

    private GraphDelegatedConsentRequiredException Unusable(DelegatedGrantProblem problem, string? errorCode = null, string? correlationId = null)
    {
        DelegatedLog.GrantUnusable(logger, problem, errorCode);
        return new GraphDelegatedConsentRequiredException(problem, errorCode, correlationId);
    }
}
