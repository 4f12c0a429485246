using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsAlertBot.Tests.Graph;

/// <summary>One request as the fake Graph saw it (copied at send time: the real message is disposed after).</summary>
internal sealed record GraphFakeRequest(
    HttpMethod Method,
    Uri Uri,
    string? Authorization,
    string? ClientRequestId,
    string? ContentType,
    string? Body)
{
    /// <summary>The decoded <c>$filter</c>, or null when the request had none.</summary>
    public string? Filter => Query("$filter");

    public string? Query(string name)
    {
        foreach (string pair in Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name)
            {
                return parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            }
        }

        return null;
    }
}

/// <summary>
/// A Graph stand-in at the bottom of the client's handler chain: answers with a function of the
/// request and records every request it gets.
/// </summary>
internal sealed class GraphFakeHandler(Func<GraphFakeRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<GraphFakeRequest> _requests = new();

    public IReadOnlyList<GraphFakeRequest> Requests => [.. _requests];

    /// <summary>Answers the given responses in order, one per request; fails the test when they run out.</summary>
    public static GraphFakeHandler Sequence(params Func<HttpResponseMessage>[] responses)
    {
        var queue = new ConcurrentQueue<Func<HttpResponseMessage>>(responses);
        return new GraphFakeHandler(request => queue.TryDequeue(out Func<HttpResponseMessage>? next)
            ? next()
            : throw new InvalidOperationException($"Unexpected extra request {request.Method} {request.Uri}"));
    }

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

    /// <summary>Graph's error envelope, camelCase as Graph usually writes it.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, params (string Name, string Value)[] headers) =>
        Json(status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject { ["date"] = "2026-11-28T09:00:00", ["request-id"] = "inner-request-id" },
            },
        }.ToJsonString(), headers);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new GraphFakeRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("client-request-id", out IEnumerable<string>? ids) ? ids.Single() : null,
            request.Content?.Headers.ContentType?.ToString(),
            body);
        _requests.Enqueue(recorded);
        HttpResponseMessage response = respond(recorded);
        response.RequestMessage = request;
        return response;
    }
}
