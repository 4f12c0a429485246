using System.Net;
using System.Text;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// Added to every HttpClient of the bot under test: a request to a host that is not loopback fails
/// the test instead of leaving the machine. The one exception is MSAL's instance discovery, which
/// MSAL always asks Microsoft's public cloud for when the authority is not a known Microsoft host
/// (here: the loopback identity fake); it is answered here, naming the fake as its own authority.
/// </summary>
public sealed class LoopbackOnlyHandler : DelegatingHandler
{
    private static readonly List<Uri> Refused = [];

    /// <summary>Non-loopback requests any bot under test attempted in this process.</summary>
    public static IReadOnlyList<Uri> RefusedRequests
    {
        get
        {
            lock (Refused)
            {
                return [.. Refused];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        if (uri.IsLoopback || IPAddress.TryParse(uri.Host, out IPAddress? ip) && IPAddress.IsLoopback(ip))
        {
            return base.SendAsync(request, cancellationToken);
        }

        if (uri.Host == "login.microsoftonline.com" && uri.AbsolutePath == "/common/discovery/instance"
            && Uri.TryCreate(QueryValue(uri, "authorization_endpoint"), UriKind.Absolute, out Uri? authorize) && authorize.IsLoopback)
        {
            string authority = authorize.GetLeftPart(UriPartial.Authority);
            string tenant = authorize.Segments[1].TrimEnd('/');
            string json = $$"""
                {"tenant_discovery_endpoint":"{{authority}}/{{tenant}}/v2.0/.well-known/openid-configuration","api-version":"1.1",
                 "metadata":[{"preferred_network":"{{authorize.Authority}}","preferred_cache":"{{authorize.Authority}}","aliases":["{{authorize.Authority}}"]}]}
                """;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }

        lock (Refused)
        {
            Refused.Add(uri);
        }

        throw new HttpRequestException($"Test guard: the bot tried to reach {uri.Host}, which is not loopback.");
    }

    private static string? QueryValue(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == name)
            .Select(p => Uri.UnescapeDataString(p[1]))
            .FirstOrDefault();
}
