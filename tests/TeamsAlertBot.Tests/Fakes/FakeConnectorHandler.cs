using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TeamsAlertBot.Tests.Fakes;

/// <summary>
/// Stands in for the Bot Connector at the bottom of the connector's handler pipeline: records every
/// request that got past the allow-list, rate limiter and token handler, and answers 201 with an id.
/// </summary>
internal sealed class FakeConnectorHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _nextId;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            body));

        int id = Interlocked.Increment(ref _nextId);
        return new HttpResponseMessage(HttpStatusCode.Created)
        {
            Content = new StringContent($$"""{"id":"1764330000{{id:000}}"}""", Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
    }
}

/// <summary>One request the fake connector received.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body);
