using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TeamsAlertBot.Tests.PartnerCenter.Fakes;

/// <summary>One request as the fake Partner Center saw it (copied per attempt: retries re-send the same message).</summary>
internal sealed record PartnerCenterFakeRequest(
    HttpMethod Method,
    Uri Uri,
    string? Authorization,
    string? RequestId,
    string? CorrelationId,
    string? ContractVersion,
    string? Application,
    string? Accept,
    string? Body)
{
    public string PathAndQuery => Uri.PathAndQuery;
}

/// <summary>
/// Partner Center at the bottom of the client's handler chain. Each route (<c>GET /v1/…</c>)
/// answers its scripted responses in order and then repeats the last one; an unscripted route
/// answers 500 and is listed in <see cref="Unscripted"/> so a test can tell.
/// </summary>
internal sealed class PartnerCenterFakeHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<PartnerCenterFakeRequest> _requests = new();
    private readonly ConcurrentQueue<string> _unscripted = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<HttpResponseMessage>>> _last = new(StringComparer.Ordinal);

    public IReadOnlyList<PartnerCenterFakeRequest> Requests => [.. _requests];

    public IReadOnlyList<string> Unscripted => [.. _unscripted];

    /// <summary>Scripts <paramref name="method"/> <paramref name="pathAndQuery"/>.</summary>
    public PartnerCenterFakeHandler On(HttpMethod method, string pathAndQuery, params Func<HttpResponseMessage>[] responses) =>
        OnAsync(method, pathAndQuery, [.. responses.Select(r => (Func<CancellationToken, Task<HttpResponseMessage>>)(_ => Task.FromResult(r())))]);

    /// <summary>Scripts a route with answers that may wait (e.g. never answer until cancelled).</summary>
    public PartnerCenterFakeHandler OnAsync(HttpMethod method, string pathAndQuery, params Func<CancellationToken, Task<HttpResponseMessage>>[] responses)
    {
        string route = $"{method} {pathAndQuery}";
        _routes[route] = new ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>>(responses);
        _last[route] = responses[^1];
        return this;
    }

    public PartnerCenterFakeHandler OnGet(string pathAndQuery, params Func<HttpResponseMessage>[] responses) =>
        On(HttpMethod.Get, pathAndQuery, responses);

    public int CountOf(string pathAndQuery) => _requests.Count(r => r.PathAndQuery == pathAndQuery);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new PartnerCenterFakeRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            Header(request, "MS-RequestId"),
            Header(request, "MS-CorrelationId"),
            Header(request, "MS-Contract-Version"),
            Header(request, "MS-PartnerCenter-Application"),
            request.Headers.Accept.ToString(),
            body));

        string route = $"{request.Method} {request.RequestUri!.PathAndQuery}";
        if (!_routes.TryGetValue(route, out ConcurrentQueue<Func<CancellationToken, Task<HttpResponseMessage>>>? queue))
        {
            _unscripted.Enqueue(route);
            return new HttpResponseMessage(HttpStatusCode.InternalServerError) { RequestMessage = request };
        }

        Func<CancellationToken, Task<HttpResponseMessage>> next =
            queue.TryDequeue(out Func<CancellationToken, Task<HttpResponseMessage>>? scripted) ? scripted : _last[route];
        HttpResponseMessage response = await next(cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    /// <summary>A JSON answer; Partner Center echoes the request and correlation ids, and so can this.</summary>
    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach ((string name, string value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Ok(string json) => Json(HttpStatusCode.OK, json);

    public static HttpResponseMessage NotFound() =>
        Json(HttpStatusCode.NotFound, """{"code":600008,"description":"The requested resource was not found.","data":[],"source":"PartnerFD"}""");

    public static HttpResponseMessage Status(HttpStatusCode status) =>
        Json(status, $$"""{"code":{{(int)status}},"description":"fake failure","data":[],"source":"PartnerFD"}""");

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : null;
}
