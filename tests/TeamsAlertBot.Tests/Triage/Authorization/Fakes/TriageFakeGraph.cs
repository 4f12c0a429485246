using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TeamsAlertBot.Tests.Triage.Authorization.Fakes;

/// <summary>
/// Stands in for Microsoft Graph under the membership client's handlers: answers
/// <c>GET /v1.0/groups/{group}/transitiveMembers/{user}</c> with the user (200) or Graph's 404, and
/// records every request that got through, with its Authorization header.
/// </summary>
internal sealed class TriageFakeGraph : HttpMessageHandler
{
    private readonly ConcurrentDictionary<(string Group, string User), bool> _members = new();
    private readonly ConcurrentQueue<TriageRecordedRequest> _requests = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every request is answered with this status and a Graph error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>When set, every request fails as if the network were down.</summary>
    public bool Unreachable { get; set; }

    /// <summary>When set, requests never get an answer (until cancelled).</summary>
    public bool Hang { get; set; }

    public IReadOnlyList<TriageRecordedRequest> Requests => [.. _requests];

    /// <summary>Completes when the first request has arrived.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public void AddMember(string groupId, string userId) => _members[(groupId, userId)] = true;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(new TriageRecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("ConsistencyLevel", out IEnumerable<string>? consistency) ? string.Join(",", consistency) : null));
        _firstRequest.TrySetResult();

        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused (graph.test:443)");
        }

        if (FailWith is { } status)
        {
            return Json(status, """{"error":{"code":"generalException","message":"Something went wrong.","innerError":{"request-id":"req-1"}}}""");
        }

        // /v1.0/groups/{group}/transitiveMembers/{user}
        string[] segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method == HttpMethod.Get && segments is [_, "groups", string group, "transitiveMembers", string user]
            && _members.ContainsKey((Uri.UnescapeDataString(group), Uri.UnescapeDataString(user))))
        {
            return Json(HttpStatusCode.OK, $$"""
                {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id)/$entity","@odata.type":"#microsoft.graph.user","id":"{{Uri.UnescapeDataString(user)}}"}
                """);
        }

        string missing = segments.Length > 0 ? Uri.UnescapeDataString(segments[^1]) : string.Empty;
        return Json(
            HttpStatusCode.NotFound,
            "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource '" + missing
            + "' does not exist or one of its queried reference-property objects are not present.\",\"innerError\":{\"date\":\"2026-11-30T10:00:00\",\"request-id\":\"req-404\",\"client-request-id\":\"req-404\"}}}");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
}

/// <summary>One request a fake received.</summary>
internal sealed record TriageRecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string? ConsistencyLevel);
