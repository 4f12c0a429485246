using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>One request a fake received.</summary>
public sealed record RecordedRequest(string Host, string Method, string RawTarget, string? Authorization, string Body)
{
    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>
/// The Microsoft endpoints the bot talks to, faked over HTTPS on loopback with the test CA:
/// the Entra token endpoint and metadata (<c>/{tenant}/…</c>), the Bot Framework OpenID metadata and
/// keys (<c>/botframework/…</c>), a Bot Connector (<c>/connector/…</c>, see <see cref="FakeConnector"/>),
/// Graph beta partner security alerts and Graph v1.0 channel and chat messages (<c>/graph/…</c>) and
/// Partner Center (<c>/partnercenter/…</c>). The same app also listens on 127.0.0.2 — a different host
/// for allow-list tests — and records who called it there.
/// </summary>
public sealed class LoopbackFakes : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ChannelSigningKey> _keys = [];

    private LoopbackFakes(WebApplication app) => _app = app;

    public const string TenantId = "7d6c1e52-4c3b-4f0f-9b1a-2a5b3c4d5e6f";

    public Uri BaseUrl { get; private set; } = null!;

    public Uri ForeignBaseUrl { get; private set; } = null!;

    /// <summary>The connector's service URL as activities carry it (trailing slash).</summary>
    public string ServiceUrl => new Uri(BaseUrl, "connector/").ToString();

    /// <summary>A service URL on the foreign host (127.0.0.2), which the bot must not call.</summary>
    public string ForeignServiceUrl => new Uri(ForeignBaseUrl, "connector/").ToString();

    public string OpenIdMetadataUrl => new Uri(BaseUrl, "botframework/v1/.well-known/openidconfiguration").ToString();

    public ConcurrentQueue<RecordedRequest> ConnectorRequests { get; } = new();

    public ConcurrentQueue<RecordedRequest> TokenRequests { get; } = new();

    public ConcurrentQueue<RecordedRequest> ForeignRequests { get; } = new();

    public ConcurrentQueue<RecordedRequest> UnknownRequests { get; } = new();

    public ConcurrentQueue<RecordedRequest> GraphRequests { get; } = new();

    /// <summary>Requests to Graph v1.0 channel and chat messages.</summary>
    public ConcurrentQueue<RecordedRequest> GraphV1Requests { get; } = new();

    /// <summary>The fake connector: what was delivered where, every attempt, and the faults it injects.</summary>
    public FakeConnector Connector { get; } = new();

    /// <summary>Channels and chats whose messages Graph refuses to list (403: resource-specific consent not granted).</summary>
    public ConcurrentDictionary<string, bool> UnreadableConversations { get; } = new(StringComparer.Ordinal);

    /// <summary>Faults of the alert list and get calls (null = none).</summary>
    public GraphFaultPlan? GraphFaults { get; set; }

    /// <summary>
    /// An alert the paged list shows twice: last on its first page and again first on the next (as a list
    /// that shifts while it is read does). Null = every id once.
    /// </summary>
    public string? GraphRepeatedAlertId { get; set; }

    public ConcurrentQueue<RecordedRequest> PartnerCenterRequests { get; } = new();

    /// <summary>The fake Graph's partner security alerts, by id.</summary>
    public ConcurrentDictionary<string, JsonObject> Alerts { get; } = new(StringComparer.Ordinal);

    /// <summary>The fake Partner Center's customers: tenant id → company name.</summary>
    public ConcurrentDictionary<string, string> Customers { get; } = new(StringComparer.Ordinal);

    /// <summary>Lets a test answer a Graph PATCH itself (fail it, or hang it); null = apply it.</summary>
    public Func<RecordedRequest, Task<IResult?>>? GraphPatchOverride { get; set; }

    /// <summary>When set, every alert listing waits for it before its page is made (to hold a poll mid-listing).</summary>
    public Func<RecordedRequest, Task>? GraphListGate { get; set; }

    /// <summary>Alerts per page of the fake Graph's list (it pages with <c>@odata.nextLink</c>).</summary>
    public int GraphPageSize { get; set; } = 3;

    /// <summary>The webhook registration the fake Partner Center holds (null = none).</summary>
    public JsonObject? WebhookRegistration { get; set; }

    /// <summary>How often the webhook signing certificate was downloaded.</summary>
    public int CertificateDownloads { get; private set; }

    /// <summary>Where the fake publishes the webhook signing certificate.</summary>
    public string WebhookCertificateUrl => new Uri(BaseUrl, "cert/pcnotifications-dispatch.test.cer").ToString();

    /// <summary>Signs a webhook body as Partner Center does: RSA PKCS#1 v1.5 over SHA-256 of the raw bytes.</summary>
    public static string SignWebhook(byte[] body)
    {
        using System.Security.Cryptography.RSA key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(TestCertificateAuthority.WebhookSigningCertificate)!;
        return Convert.ToBase64String(key.SignData(body, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
    }

    /// <summary>Graph base URL as the bot is configured with it.</summary>
    public string GraphBaseUrl => new Uri(BaseUrl, "graph/beta").ToString();

    /// <summary>Graph v1.0 root as the bot is configured with it (<c>Graph:V1BaseUrl</c>).</summary>
    public string GraphV1BaseUrl => new Uri(BaseUrl, "graph/v1.0").ToString();

    /// <summary>Partner Center base URL as the bot is configured with it.</summary>
    public string PartnerCenterBaseUrl => new Uri(BaseUrl, "partnercenter").ToString();

    /// <summary>Adds (or replaces) an alert in the fake Graph.</summary>
    public JsonObject AddAlert(string id, string customerTenantId, string severity = "high", string status = "active", DateTimeOffset? detected = null)
    {
        var alert = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = "Action Required: Unusual VM deployment detected",
            ["alertType"] = "VM_AnomalousDeployment",
            ["status"] = status,
            ["severity"] = severity,
            ["confidenceLevel"] = "medium",
            ["customerTenantId"] = customerTenantId,
            ["subscriptionId"] = "9e8d7c6b-0000-4000-8000-00000000a001",
            ["valueAddedResellerTenantId"] = null,
            ["catalogOfferId"] = "MS-AZR-0017G",
            ["detectedDateTime"] = (detected ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["resolvedReason"] = null,
            ["resolvedOnDateTime"] = null,
            ["resolvedBy"] = null,
            ["isTest"] = false,
            ["affectedResources"] = new JsonArray(new JsonObject
            {
                ["resourceId"] = "/subscriptions/9e8d7c6b-0000-4000-8000-00000000a001/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm7",
                ["resourceType"] = "AzureResource",
            }),
            ["activityLogs"] = new JsonArray(),
            ["additionalDetails"] = new JsonObject { ["ConnectionCount"] = "12" },
        };
        Alerts[id] = alert;
        return alert;
    }

    /// <summary>
    /// Lets a test (or a richer fake of its own) answer a Partner Center request before the built-in
    /// routes do; null = the built-in answer (webhook registration, customer by id, else 404).
    /// </summary>
    public Func<RecordedRequest, Task<IResult?>>? PartnerCenterOverride { get; set; }

    /// <summary>Lets a test answer a connector request itself (null = the default answer).</summary>
    public Func<RecordedRequest, IResult?>? ConnectorOverride { get; set; }

    /// <summary>The key the fake token service signs genuine channel tokens with (endorsed for msteams).</summary>
    public ChannelSigningKey ChannelKey { get; private set; } = null!;

    /// <summary>The token endpoint's delegated grants (the partner admin's consent and refresh token).</summary>
    public FakeAdminGrant AdminGrant { get; private set; } = null!;

    /// <summary>A published key that is not endorsed for msteams.</summary>
    public ChannelSigningKey UnendorsedKey { get; private set; } = null!;

    /// <summary>The key the fake Entra tenant signs user (Teams SSO) tokens with, published at <c>/{tenant}/discovery/v2.0/keys</c>.</summary>
    public ChannelSigningKey EntraKey { get; private set; } = null!;

    /// <summary>The fake Graph's partner security score (<c>/security/partner/securityScore</c>); null = 404.</summary>
    public JsonObject? SecurityScore { get; set; }

    /// <summary>The partner tenant's v2 token issuer, as the fake metadata states it.</summary>
    public string EntraIssuer => new Uri(BaseUrl, $"{TenantId}/v2.0").ToString();

    public static async Task<LoopbackFakes> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(TestCertificateAuthority.ServerCertificate));
            k.Listen(IPAddress.Parse("127.0.0.2"), 0, l => l.UseHttps(TestCertificateAuthority.ServerCertificate));
        });
        WebApplication app = builder.Build();
        var fakes = new LoopbackFakes(app);
        fakes.ChannelKey = fakes.AddKey(["msteams", "webchat"]);
        fakes.AdminGrant = new FakeAdminGrant(fakes.ChannelKey);
        fakes.UnendorsedKey = fakes.AddKey(["skype"]);
        fakes.EntraKey = new ChannelSigningKey($"entra-{Guid.NewGuid():N}", null);
        fakes.Map(app);
        await app.StartAsync();

        string[] addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];
        fakes.BaseUrl = new Uri(addresses.Single(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) + "/");
        fakes.ForeignBaseUrl = new Uri(addresses.Single(a => a.Contains("127.0.0.2", StringComparison.Ordinal)) + "/");
        return fakes;
    }

    /// <summary>Publishes a new signing key (as a key rotation would).</summary>
    public ChannelSigningKey AddKey(IReadOnlyList<string>? endorsements)
    {
        var key = new ChannelSigningKey($"key-{Guid.NewGuid():N}", endorsements);
        lock (_keys)
        {
            _keys.Add(key);
        }

        return key;
    }

    /// <summary>A fresh key the metadata does not publish.</summary>
    public static ChannelSigningKey UnpublishedKey() => new($"key-{Guid.NewGuid():N}", ["msteams"]);

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalIpAddress?.ToString() == "127.0.0.2")
            {
                ForeignRequests.Enqueue(await RecordAsync(context));
                context.Response.StatusCode = StatusCodes.Status418ImATeapot;
                return;
            }

            await next(context);
        });

        app.MapGet("/botframework/v1/.well-known/openidconfiguration", () => Results.Json(new JsonObject
        {
            ["issuer"] = ChannelTokens.BotFrameworkIssuer,
            ["authorization_endpoint"] = new Uri(BaseUrl, "botframework/v1/auth").ToString(),
            ["jwks_uri"] = new Uri(BaseUrl, "botframework/v1/.well-known/keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        }));
        app.MapGet("/botframework/v1/.well-known/keys", () =>
        {
            lock (_keys)
            {
                return Results.Json(new JsonObject { ["keys"] = new JsonArray([.. _keys.Select(k => k.ToJwk())]) });
            }
        });

        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new JsonObject
        {
            ["issuer"] = new Uri(BaseUrl, $"{tenant}/v2.0").ToString(),
            ["authorization_endpoint"] = new Uri(BaseUrl, $"{tenant}/oauth2/v2.0/authorize").ToString(),
            ["token_endpoint"] = new Uri(BaseUrl, $"{tenant}/oauth2/v2.0/token").ToString(),
            ["jwks_uri"] = new Uri(BaseUrl, $"{tenant}/discovery/v2.0/keys").ToString(),
            ["response_types_supported"] = new JsonArray("code", "id_token", "token"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        app.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Json(new JsonObject { ["keys"] = new JsonArray(EntraKey.ToJwk()) }));
        app.MapGet("/graph/beta/security/partner/securityScore", async (HttpContext context) =>
        {
            GraphRequests.Enqueue(await RecordAsync(context));
            return SecurityScore is { } score ? Results.Json(score.DeepClone()) : Results.NotFound();
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            TokenRequests.Enqueue(request);
            Dictionary<string, string> form = request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : string.Empty));
            if (AdminGrant.Answer(tenant, form) is { } delegated)
            {
                return delegated;
            }

            string scope = form.GetValueOrDefault("scope", string.Empty);
            string audience = scope.Split(' ').First(s => s.EndsWith("/.default", StringComparison.Ordinal))[..^"/.default".Length];
            string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = $"https://sts.windows.net/{tenant}/",
                Audience = audience,
                Claims = new Dictionary<string, object> { ["appid"] = form.GetValueOrDefault("client_id", string.Empty), ["tid"] = tenant },
                Expires = DateTime.UtcNow.AddHours(1),
                SigningCredentials = new SigningCredentials(ChannelKey.SecurityKey, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3599,
                ["ext_expires_in"] = 3599,
                ["access_token"] = token,
            });
        });

        app.MapGet("/graph/beta/security/partner/securityAlerts", async (HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            GraphRequests.Enqueue(request);
            if (GraphListGate is { } gate)
            {
                // Held before the page is made, so it lists the alerts there are when the gate opens.
                await gate(request);
            }

            if (GraphFaults?.Decide($"list {request.RawTarget}") is { } status)
            {
                return GraphFaultPlan.Answer(context, status);
            }

            string filter = context.Request.Query["$filter"].ToString();
            string[] statuses = [.. System.Text.RegularExpressions.Regex.Matches(filter, "status eq '(\\w+)'").Select(m => m.Groups[1].Value)];
            int skip = int.TryParse(context.Request.Query["$skiptoken"], out int s) ? s : 0;
            List<JsonObject> matching = [.. Alerts.Values
                .Where(a => statuses.Length == 0 || statuses.Contains((string?)a["status"]))
                .OrderBy(a => (string?)a["id"], StringComparer.Ordinal)];
            if (GraphRepeatedAlertId is { } repeated && matching.Count > GraphPageSize && matching.FindIndex(a => (string?)a["id"] == repeated) is >= 0 and int at)
            {
                JsonObject twice = matching[at];
                matching.RemoveAt(at);
                matching.InsertRange(GraphPageSize - 1, [twice, twice]);
            }
            JsonObject[] page = [.. matching.Skip(skip).Take(GraphPageSize).Select(a => (JsonObject)a.DeepClone())];
            var body = new JsonObject { ["value"] = new JsonArray([.. page]) };
            if (skip + GraphPageSize < matching.Count)
            {
                var next = new UriBuilder(new Uri(BaseUrl, "graph/beta/security/partner/securityAlerts"))
                {
                    Query = $"$filter={Uri.EscapeDataString(filter)}&$skiptoken={skip + GraphPageSize}",
                };
                body["@odata.nextLink"] = next.Uri.ToString();
            }

            return Results.Json(body);
        });
        app.MapGet("/graph/beta/security/partner/securityAlerts/{id}", async (string id, HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            GraphRequests.Enqueue(request);
            if (GraphFaults?.Decide($"get {id}") is { } status)
            {
                return GraphFaultPlan.Answer(context, status);
            }

            return Alerts.TryGetValue(id, out JsonObject? alert) ? Results.Json(alert.DeepClone()) : Results.NotFound();
        });
        app.MapMethods("/graph/beta/security/partner/securityAlerts/{id}", ["PATCH"], async (string id, HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            GraphRequests.Enqueue(request);
            if (!Alerts.TryGetValue(id, out JsonObject? alert))
            {
                return Results.NotFound();
            }

            if (GraphPatchOverride is { } custom && await custom(request) is { } answer)
            {
                return answer;
            }

            JsonNode patch = request.Json!;
            alert["status"] = (string?)patch["status"];
            alert["resolvedReason"] = (string?)patch["resolvedReason"];
            return Results.Json(alert.DeepClone());
        });
        app.MapGet("/cert/{file}", () =>
        {
            CertificateDownloads++;
            return Results.Bytes(TestCertificateAuthority.WebhookSigningCertificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Cert), "application/octet-stream");
        });

        app.Map("/partnercenter/{**rest}", async (HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            PartnerCenterRequests.Enqueue(request);
            if (PartnerCenterOverride is { } custom && await custom(request) is { } answer)
            {
                return answer;
            }

            string[] segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            // /partnercenter/webhooks/v1/registration
            if (segments.Length == 4 && segments[1] == "webhooks" && segments[3] == "registration")
            {
                if (request.Method is "POST" or "PUT")
                {
                    WebhookRegistration = request.Json!.AsObject();
                }

                return WebhookRegistration is null
                    ? Results.NotFound()
                    : Results.Json(new JsonObject
                    {
                        ["SubscriberId"] = "6f1b7e52-0000-4000-8000-0000000000aa",
                        ["WebhookUrl"] = (string?)WebhookRegistration["WebhookUrl"],
                        ["WebhookEvents"] = WebhookRegistration["WebhookEvents"]!.DeepClone(),
                    });
            }

            // /partnercenter/v1/customers/{id}
            if (segments.Length == 4 && segments[2] == "customers" && Customers.TryGetValue(segments[3], out string? name))
            {
                return Results.Json(new JsonObject
                {
                    ["id"] = segments[3],
                    ["companyProfile"] = new JsonObject { ["tenantId"] = segments[3], ["domain"] = "contoso.onmicrosoft.com", ["companyName"] = name },
                    ["relationshipToPartner"] = "reseller",
                });
            }

            return Results.NotFound();
        });

        app.Map("/connector/{**rest}", async (HttpContext context) =>
        {
            RecordedRequest request = await RecordAsync(context);
            ConnectorRequests.Enqueue(request);
            if (ConnectorOverride?.Invoke(request) is { } custom)
            {
                return custom;
            }

            return await Connector.AnswerAsync(context, request);
        });
        FakeGraphMessages.Map(app, this);

        app.MapFallback(async (HttpContext context) =>
        {
            UnknownRequests.Enqueue(await RecordAsync(context));
            return Results.NotFound();
        });
    }

    internal static async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync();
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path;
        return new RecordedRequest(context.Request.Host.ToString(), context.Request.Method, raw, context.Request.Headers.Authorization.FirstOrDefault(), body);
    }

    /// <summary>Waits until <paramref name="queue"/> holds at least <paramref name="count"/> requests.</summary>
    public static async Task<RecordedRequest[]> WaitForAsync(ConcurrentQueue<RecordedRequest> queue, int count, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (queue.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return [.. queue];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_keys)
        {
            _keys.ForEach(k => k.Dispose());
        }

        EntraKey.Dispose();
    }
}
