using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsAlertBot.Tests.Graph.Delegated;

/// <summary>One token request as the fake Entra ID saw it: the URL and the form fields.</summary>
internal sealed record DelegatedFakeTokenRequest(Uri Uri, IReadOnlyDictionary<string, string> Form)
{
    public string? this[string name] => Form.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// Entra ID's token endpoint as MSAL talks to it (through the named HTTP client): answers
/// authorization-code and refresh-token grants with what the test queued, records every request,
/// and fails the test on anything else.
/// </summary>
internal sealed class DelegatedFakeEntraId : HttpMessageHandler
{
    public const string Instance = "https://login.test/";
    public const string TenantId = "6f0c1b6e-0000-4000-8000-00000000c5b1";
    public const string ClientId = "0d4a9c2e-0000-4000-8000-00000000b07a";
    public const string ClientSecret = "fake-client-secret";
    public const string AdminObjectId = "a11ce000-0000-4000-8000-0000000ad001";

    private readonly ConcurrentQueue<DelegatedFakeTokenRequest> _requests = new();
    private readonly ConcurrentQueue<Func<DelegatedFakeTokenRequest, HttpResponseMessage>> _answers = new();

    public IReadOnlyList<DelegatedFakeTokenRequest> Requests => [.. _requests];

    public static string TokenEndpoint => $"{Instance}{TenantId}/oauth2/v2.0/token";

    /// <summary>Queues the answer to the next token request.</summary>
    public void Answer(Func<DelegatedFakeTokenRequest, HttpResponseMessage> answer) => _answers.Enqueue(answer);

    /// <summary>Queues a successful token response for a user.</summary>
    public void AnswerTokens(DelegatedFakeTokens tokens) => Answer(_ => tokens.ToResponse());

    /// <summary>Queues Entra ID's answer to a dead refresh token (or an already used code).</summary>
    public void AnswerInvalidGrant(string description = "AADSTS700082: The refresh token has expired due to inactivity.") =>
        Answer(_ => Json(HttpStatusCode.BadRequest, new JsonObject
        {
            ["error"] = "invalid_grant",
            ["error_description"] = description,
            ["error_codes"] = new JsonArray(700082),
            ["suberror"] = "bad_token",
            ["correlation_id"] = "c0e1a7e5-0000-4000-8000-000000000001",
        }));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Dictionary<string, string> form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length == 2 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);
        var recorded = new DelegatedFakeTokenRequest(request.RequestUri!, form);
        _requests.Enqueue(recorded);

        if (request.Method != HttpMethod.Post || request.RequestUri!.AbsoluteUri.Split('?')[0] != TokenEndpoint)
        {
            throw new InvalidOperationException($"Unexpected request to the fake Entra ID: {request.Method} {request.RequestUri}");
        }

        HttpResponseMessage response = _answers.TryDequeue(out Func<DelegatedFakeTokenRequest, HttpResponseMessage>? answer)
            ? answer(recorded)
            : throw new InvalidOperationException($"No answer queued for token request grant_type={recorded["grant_type"]}");
        response.RequestMessage = request;
        return response;
    }

    internal static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}

/// <summary>A token response for one user (an unsigned id token: MSAL reads, and does not check, the id token it redeems).</summary>
internal sealed record DelegatedFakeTokens(
    string Nonce,
    string ObjectId = DelegatedFakeEntraId.AdminObjectId,
    string TenantId = DelegatedFakeEntraId.TenantId,
    string HomeTenantId = DelegatedFakeEntraId.TenantId,
    string AccessToken = "fake-graph-delegated-access-token-1",
    string RefreshToken = "fake-graph-refresh-token-1",
    int ExpiresIn = 3600,
    string Username = "admin@partner.test",
    string Scope = "https://graph.microsoft.com/PartnerSecurity.ReadWrite.All")
{
    public string IdToken
    {
        get
        {
            var payload = new JsonObject
            {
                ["aud"] = DelegatedFakeEntraId.ClientId,
                ["iss"] = $"{DelegatedFakeEntraId.Instance}{TenantId}/v2.0",
                ["iat"] = 1_780_000_000,
                ["nbf"] = 1_780_000_000,
                ["exp"] = 4_000_000_000,
                ["oid"] = ObjectId,
                ["sub"] = "sub-" + ObjectId,
                ["tid"] = TenantId,
                ["nonce"] = Nonce,
                ["preferred_username"] = Username,
                ["name"] = "Partner Admin",
                ["ver"] = "2.0",
            };
            return $"{Segment("""{"alg":"RS256","typ":"JWT","kid":"fake"}""")}.{Segment(payload.ToJsonString())}.c2lnbmF0dXJl";
        }
    }

    public HttpResponseMessage ToResponse() => DelegatedFakeEntraId.Json(HttpStatusCode.OK, new JsonObject
    {
        ["token_type"] = "Bearer",
        ["scope"] = $"{Scope} openid profile offline_access",
        ["expires_in"] = ExpiresIn,
        ["ext_expires_in"] = ExpiresIn,
        ["access_token"] = AccessToken,
        ["refresh_token"] = RefreshToken,
        ["id_token"] = IdToken,
        // MSAL builds the account's home id ({uid}.{utid}) from client_info: the home tenant.
        ["client_info"] = Segment($$"""{"uid":"{{ObjectId}}","utid":"{{HomeTenantId}}"}"""),
    });

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
