using System.Net;
using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Graph;

/// <summary>
/// Attaches the Graph token, and only to the configured Graph origin (https, checked at start):
/// a request anywhere else is refused before the token is fetched or a byte is sent. Turns Graph's
/// "token has no MFA claim" 403 into <see cref="GraphMfaRequiredException"/>, the hook where a
/// delegated fallback will go.
/// </summary>
internal sealed class GraphAuthenticationHandler(
    IGraphTokenSource tokens,
    IOptions<GraphOptions> options,
    ILogger<GraphAuthenticationHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        GraphOptions graph = options.Value;
        Uri uri = request.RequestUri ?? throw new GraphOriginRefusedException("A Graph request needs an absolute URL; no request was sent.");
        if (!graph.IsGraphOrigin(uri))
        {
            throw new GraphOriginRefusedException(
                $"Refused to send a Graph request to {Origin(uri)}: the token goes to {Origin(graph.BaseUrl)} ({GraphOptions.SectionName}:BaseUrl) only. No request was sent.");
        }

        request.Headers.Authorization = await tokens.GetAuthorizationAsync(cancellationToken);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return response;
        }

        GraphError error = await GraphError.ReadAsync(response, cancellationToken);
        if (!error.IsMissingMfa)
        {
            return response;
        }

        response.Dispose();
        GraphLog.MfaRequired(logger, tokens.AccessKind, error.Code, error.RequestId, error.ClientRequestId);
        throw new GraphMfaRequiredException(
            tokens.AccessKind == GraphAccessKind.Application
                ? $"Microsoft Graph refused the bot's app-only token for partner security alerts: this partner tenant requires MFA claims ({error.Code ?? "403"}), which an app-only token can never carry. An admin must set up delegated access (the secure application model: a partner admin signs in once with MFA and consents, and the bot uses that grant). request-id {error.RequestId ?? "none"}."
                : $"Microsoft Graph refused the delegated token: it has no MFA claim ({error.Code ?? "403"}). The partner admin must consent again, signing in with MFA. request-id {error.RequestId ?? "none"}.",
            tokens.AccessKind,
            error.Code,
            error.RequestId,
            error.ClientRequestId);
    }

    private static string Origin(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : "a relative URL";
}
