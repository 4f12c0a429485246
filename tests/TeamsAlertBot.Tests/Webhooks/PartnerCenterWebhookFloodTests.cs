using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TeamsAlertBot.Tests.Webhooks.Fakes;
using TeamsAlertBot.Webhooks;
using static TeamsAlertBot.Tests.Webhooks.WebhookTestHost;

namespace TeamsAlertBot.Tests.Webhooks;

/// <summary>
/// Unsigned traffic naming fresh certificate URLs: it may cost at most a few certificate downloads a
/// minute, it never grows the certificate cache past its bound, and Partner Center's own certificate
/// keeps verifying throughout.
/// </summary>
public sealed class PartnerCenterWebhookFloodTests
{
    private const int Flood = 300;
    private static readonly WebhookTestCertificates Trusted = WebhookTestCertificates.Create();

    [Fact]
    public async Task Post_ForgeriesWithFreshQueryStrings_FetchNothing()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        for (int i = 0; i < Flood; i++)
        {
            using HttpResponseMessage response = await ForgeAsync(host, $"{CertificateUrl}?sv={i}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Empty(host.Certificates.Requests);
    }

    [Fact]
    public async Task Post_ForgeriesWithFreshPaths_FetchAtMostTheConfiguredNumber()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateFetchesPerMinute"] = "5",
        });

        for (int i = 0; i < Flood; i++)
        {
            using HttpResponseMessage response = await ForgeAsync(host, FreshUrl(i));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The flood runs in far less than the minute the budget is counted over.
        Assert.InRange(host.Certificates.Requests.Count, 1, 5);
    }

    [Fact]
    public async Task Post_FloodAfterTheGenuineCertificateVerified_GenuineDeliveriesStillAccepted()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateFetchesPerMinute"] = "2",
        });
        using (HttpResponseMessage first = await PostGenuineAsync(host, "9e8d7c6b-0000-4000-8000-00000000a001"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        for (int i = 0; i < Flood; i++)
        {
            using HttpResponseMessage forged = await ForgeAsync(host, FreshUrl(i));
        }

        using HttpResponseMessage second = await PostGenuineAsync(host, "9e8d7c6b-0000-4000-8000-00000000a002");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, host.Sink.Events.Count);
    }

    [Fact]
    public async Task Post_GenuineCertificateExpiresDuringAFlood_IsFetchedAgainWhateverTheBudget()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateFetchesPerMinute"] = "100",
            ["PartnerCenter:Webhook:CertificateCacheDuration"] = "00:30:00",
            ["PartnerCenter:Webhook:CertificateFailureCacheDuration"] = "01:00:00",
        });
        using (HttpResponseMessage first = await PostGenuineAsync(host, "9e8d7c6b-0000-4000-8000-00000000a001"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The certificate's reuse time is over; the flood spends the budget and fills the cache.
        host.Time.Advance(TimeSpan.FromMinutes(31));
        for (int i = 0; i < Flood; i++)
        {
            using HttpResponseMessage forged = await ForgeAsync(host, FreshUrl(i));
        }

        using HttpResponseMessage second = await PostGenuineAsync(host, "9e8d7c6b-0000-4000-8000-00000000a002");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, host.Certificates.Requests.Count(u => u.AbsoluteUri == CertificateUrl));
    }

    [Fact]
    public async Task Post_ManyFreshPaths_CertificateCacheStaysBounded()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateFetchesPerMinute"] = "100",
            // Failures would be remembered for an hour: only the bound keeps the cache small.
            ["PartnerCenter:Webhook:CertificateFailureCacheDuration"] = "01:00:00",
        });

        for (int i = 0; i < Flood; i++)
        {
            using HttpResponseMessage forged = await ForgeAsync(host, FreshUrl(i));
        }

        Assert.InRange(host.Services.GetRequiredService<WebhookSignatureVerifier>().CachedUrlCount, 0, WebhookSignatureVerifier.MaxCachedUrls);
    }

    private static string FreshUrl(int i) => $"https://{CertificateHost}/cert/forged-{i}.cer";

    /// <summary>A delivery signed with a key of the attacker's own, naming <paramref name="certificateUrl"/>.</summary>
    private static Task<HttpResponseMessage> ForgeAsync(WebhookTestHost host, string certificateUrl)
    {
        byte[] body = FraudEventBody();
        return host.PostAsync(body, $"Signature {Convert.ToBase64String(new byte[256])}", certificateUrl);
    }

    private static Task<HttpResponseMessage> PostGenuineAsync(WebhookTestHost host, string subscriptionId)
    {
        byte[] body = FraudEventBody(subscriptionId);
        return host.PostAsync(body, $"Signature {Trusted.Sign(body)}");
    }
}
