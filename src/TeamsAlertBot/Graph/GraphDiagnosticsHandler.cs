using System.Net;

namespace TeamsAlertBot.Graph;

/// <summary>
/// Gives each Graph request a <c>client-request-id</c> (kept across its retries, so one call's
/// attempts share it) and logs every failed attempt with Graph's <c>request-id</c>, which is what
/// Microsoft support asks for. Sits inside the retry handler so each attempt is seen.
/// </summary>
internal sealed class GraphDiagnosticsHandler(ILogger<GraphDiagnosticsHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValues(GraphError.ClientRequestIdHeader, out IEnumerable<string>? values)
            || values.FirstOrDefault() is not { } clientRequestId)
        {
            clientRequestId = Guid.NewGuid().ToString();
            request.Headers.TryAddWithoutValidation(GraphError.ClientRequestIdHeader, clientRequestId);
        }

        string method = request.Method.Method;
        string path = request.RequestUri?.AbsolutePath ?? "?";
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            GraphLog.TransportFailed(logger, e, method, path, clientRequestId);
            throw;
        }

        if (!response.IsSuccessStatusCode)
        {
            string? requestId = GraphError.HeaderOf(response, GraphError.RequestIdHeader);
            string echoed = GraphError.HeaderOf(response, GraphError.ClientRequestIdHeader) ?? clientRequestId;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                GraphLog.AnsweredNotFound(logger, method, path, requestId, echoed);
            }
            else
            {
                GraphLog.AnsweredFailure(logger, method, path, (int)response.StatusCode, requestId, echoed);
            }
        }

        return response;
    }
}
