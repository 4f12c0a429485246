namespace TeamsAlertBot.Graph.Delegated;

/// <summary>
/// The outermost handler of the Graph client in <see cref="GraphDelegatedMode.Fallback"/>: pins the
/// kind of token for each request, and when Graph refuses the app-only token for want of an MFA claim
/// (<see cref="GraphMfaRequiredException"/> from <c>GraphAuthenticationHandler</c>) reports it to
/// <see cref="FallbackGraphTokenSource"/> and sends the request once more with a delegated token.
/// Graph refuses such a request before acting on it, so sending it again is safe for a PATCH too.
/// </summary>
internal sealed class GraphMfaFallbackHandler(FallbackGraphTokenSource tokens, ILogger<GraphMfaFallbackHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        GraphAccessKind kind = tokens.CurrentKind;
        FallbackGraphTokenSource.PinForCurrentRequest(kind);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (GraphMfaRequiredException e) when (e.RefusedAccess == GraphAccessKind.Application)
        {
            if (!tokens.ReportMfaRequired(e.RefusedAccess))
            {
                throw;
            }

            DelegatedLog.RetryingDelegated(logger);
            FallbackGraphTokenSource.PinForCurrentRequest(GraphAccessKind.Delegated);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
