using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Client;

namespace TeamsAlertBot.BotFramework.Authentication;

/// <summary>
/// The HTTP client MSAL (through Microsoft.Identity.Web) uses to reach Entra ID: one named
/// <see cref="HttpClient"/> from the factory, so its handlers (and a test's loopback guard) apply.
/// </summary>
internal sealed class EntraHttpClientFactory(IHttpClientFactory factory) : IMsalHttpClientFactory
{
    /// <summary>The name of the <see cref="HttpClient"/> token requests go through.</summary>
    public const string HttpClientName = "Entra";

    public HttpClient GetHttpClient() => factory.CreateClient(HttpClientName);
}

/// <summary>
/// MSAL asks Microsoft's public cloud (<c>login.microsoftonline.com/common/discovery/instance</c>)
/// which aliases an authority has, unless the authority is a Microsoft cloud it already knows. When
/// <c>AzureAd:Instance</c> names any other host (a private cloud, or a test's fake), that would be a
/// request to a host no setting names. This handler answers the question itself: the configured
/// authority is its own only alias, and its metadata is at the configured instance. A discovery
/// request for an authority other than the configured one is refused, never forwarded.
/// </summary>
internal sealed class EntraInstanceDiscoveryHandler(IOptionsMonitor<MicrosoftIdentityApplicationOptions> identity) : DelegatingHandler
{
    /// <summary>Hosts whose instance metadata MSAL knows without asking (its well-known clouds).</summary>
    private static readonly HashSet<string> MicrosoftCloudHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri ?? throw new InvalidOperationException("An Entra request needs a URL.");
        if (!IsInstanceDiscovery(uri))
        {
            return base.SendAsync(request, cancellationToken);
        }

        Uri? configured = ConfiguredInstance();
        if (configured is null || MicrosoftCloudHosts.Contains(configured.Host))
        {
            // A Microsoft cloud: the question goes where the setting points anyway.
            return base.SendAsync(request, cancellationToken);
        }

        string? endpoint = QueryValue(uri, "authorization_endpoint");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? authorize)
            || !string.Equals(authorize.GetLeftPart(UriPartial.Authority), configured.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || authorize.Segments.Length < 2)
        {
            throw new HttpRequestException(
                $"Refused an instance discovery for '{authorize?.Host ?? "?"}': only the configured AzureAd:Instance ({configured.Host}) is answered, and nothing is asked of another host.");
        }

        string tenant = authorize.Segments[1].TrimEnd('/');
        string authority = configured.GetLeftPart(UriPartial.Authority);
        var metadata = new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"{authority}/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["preferred_network"] = authorize.Authority,
                    ["preferred_cache"] = authorize.Authority,
                    ["aliases"] = new[] { authorize.Authority },
                },
            },
        };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent(JsonSerializer.Serialize(metadata, EntraJsonContext.Default.DictionaryStringObject), Encoding.UTF8, "application/json"),
        });
    }

    private static bool IsInstanceDiscovery(Uri uri) =>
        uri.AbsolutePath.EndsWith("/discovery/instance", StringComparison.OrdinalIgnoreCase);

    private Uri? ConfiguredInstance()
    {
        string? instance = identity.Get(BotIdentity.SectionName).Instance;
        return Uri.TryCreate(string.IsNullOrWhiteSpace(instance) ? "https://login.microsoftonline.com/" : instance, UriKind.Absolute, out Uri? parsed) ? parsed : null;
    }

    private static string? QueryValue(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == name)
            .Select(p => Uri.UnescapeDataString(p[1]))
            .FirstOrDefault();
}

/// <summary>Serializer metadata of the locally answered instance discovery.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class EntraJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
