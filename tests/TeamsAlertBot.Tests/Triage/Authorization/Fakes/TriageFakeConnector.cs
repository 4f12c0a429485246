using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TeamsAlertBot.Tests.Triage.Authorization.Fakes;

/// <summary>
/// Stands in for the Bot Connector's <c>GET /v3/conversations/{id}/members/{userId}</c>: answers
/// with the member as Teams spells it (<c>objectId</c>, not <c>aadObjectId</c>), 404 for strangers.
/// </summary>
internal sealed class TriageFakeConnector : HttpMessageHandler
{
    private readonly ConcurrentDictionary<(string Conversation, string User), string> _members = new();
    private readonly ConcurrentQueue<TriageRecordedRequest> _requests = new();

    /// <summary>When set, every request is answered with this status.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public IReadOnlyList<TriageRecordedRequest> Requests => [.. _requests];

    public void AddMember(string conversationId, string userId, string objectId, string tenantId) =>
        _members[(conversationId, userId)] = $$"""
            {"id":"{{userId}}","name":"Megan Bowen","objectId":"{{objectId}}","givenName":"Megan","surname":"Bowen","email":"meganb@contoso.example","userPrincipalName":"meganb@contoso.example","tenantId":"{{tenantId}}","userRole":"user"}
            """;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(new TriageRecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), null));
        if (FailWith is { } status)
        {
            return Task.FromResult(Json(status, """{"error":{"code":"ServiceError","message":"Unknown error"}}"""));
        }

        // /{region}/v3/conversations/{conversation}/members/{user}
        string[] segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is [.., "v3", "conversations", string conversation, "members", string user]
            && _members.TryGetValue((Uri.UnescapeDataString(conversation), Uri.UnescapeDataString(user)), out string? member))
        {
            return Task.FromResult(Json(HttpStatusCode.OK, member));
        }

        return Task.FromResult(Json(HttpStatusCode.NotFound, """{"error":{"code":"MemberNotFoundInConversation","message":"The member was not found."}}"""));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
