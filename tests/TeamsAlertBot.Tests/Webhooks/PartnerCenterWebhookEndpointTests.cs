using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using TeamsAlertBot.Tests.Fakes;
using TeamsAlertBot.Tests.Webhooks.Fakes;
using TeamsAlertBot.Webhooks;
using static TeamsAlertBot.Tests.Webhooks.WebhookTestHost;

namespace TeamsAlertBot.Tests.Webhooks;

public sealed class PartnerCenterWebhookEndpointTests
{
    private static readonly WebhookTestCertificates Trusted = WebhookTestCertificates.Create();

    [Fact]
    public async Task Post_ValidFraudEvent_HandsEventToSinkOnce()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        FraudEvent received = Assert.Single(host.Sink.Events);
        Assert.Equal("azure-fraud-event-detected", received.EventName);
        Assert.Equal("9e8d7c6b-0000-4000-8000-00000000a001", received.SubscriptionId);
        Assert.Equal("Active", received.EventStatus);
        Assert.Null(received.AuditUri);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 8, 58, 12, TimeSpan.Zero).AddTicks(3520276), received.ResourceChangeUtcDate);
        Assert.Equal(WebhookTestCertificates.Now, received.ReceivedAt);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), received.DeliveryId);
        Assert.Equal([new Uri(CertificateUrl)], host.Certificates.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_SignatureInMsSignatureHeader_Accepted(bool withPrefix)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();
        string signature = Trusted.Sign(body);

        using HttpResponseMessage response = await host.PostAsync(body, withPrefix ? $"Signature {signature}" : signature, signatureHeader: "x-ms-signature");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(host.Sink.Events);
    }

    [Fact]
    public async Task Post_TamperedBody_Returns401AndNothingHappens()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] signed = FraudEventBody();
        byte[] tampered = FraudEventBody(subscriptionId: "00000000-0000-4000-8000-00000000dead");

        using HttpResponseMessage response = await host.PostAsync(tampered, $"Signature {Trusted.Sign(signed)}");

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3151 && r.Message.Contains("SignatureMismatch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_SignatureOverReserializedJson_Returns401()
    {
        // The signature covers the raw bytes: the same JSON with other whitespace is another body.
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();
        byte[] compact = Encoding.UTF8.GetBytes(System.Text.Json.Nodes.JsonNode.Parse(body)!.ToJsonString());

        using HttpResponseMessage response = await host.PostAsync(body, $"Signature {Trusted.Sign(compact)}");

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
    }

    [Theory]
    [InlineData("rsa-sha1")]
    [InlineData("rsa-sha512")]
    [InlineData("hmac-sha256")]
    [InlineData("none")]
    public async Task Post_UnsupportedAlgorithm_Returns401WithoutFetchingCertificate(string algorithm)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, algorithm: algorithm);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Theory]
    [InlineData("https://evil.example/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("https://certs.partnercenter.test.evil.example/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("http://certs.partnercenter.test/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("https://certs.partnercenter.test:8443/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("https://user@certs.partnercenter.test/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("https://certs.partnercenter.test/other/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("https://certs.partnercenter.test/cert/pcnotifications-dispatch.partnercenter.test.pem")]
    [InlineData("https://certs.partnercenter.test/cert/%2e%2e/secret.cer")]
    [InlineData("https://certs.partnercenter.test/cert/.cer")]
    [InlineData("/cert/pcnotifications-dispatch.partnercenter.test.cer")]
    [InlineData("file:///etc/ssl/cert/x.cer")]
    public async Task Post_CertificateUrlNotAllowed_Returns401WithoutAnyFetch(string certificateUrl)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Certificates.Serve(certificateUrl.StartsWith("http", StringComparison.Ordinal) ? certificateUrl : CertificateUrl, Trusted.SignerDer);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, certificateUrl: certificateUrl);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Fact]
    public async Task Post_CertificateUrlRedirects_Returns401AndRedirectIsNotFollowed()
    {
        const string Moved = $"https://{CertificateHost}/cert/moved.cer";
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Certificates.Redirect(Moved, CertificateUrl);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, certificateUrl: Moved);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([new Uri(Moved)], host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Fact]
    public async Task Post_IssuerOrganizationNotRequiredOne_Returns401()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:RequiredIssuerOrganization"] = "Microsoft Corporation",
        });

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3151 && r.Message.Contains("IssuerNotAllowed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_CertificateFromUntrustedCa_Returns401()
    {
        using WebhookTestCertificates impostor = WebhookTestCertificates.Create();
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Certificates.Serve(CertificateUrl, impostor.SignerDer);

        using HttpResponseMessage response = await PostSignedAsync(host, impostor);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3151 && r.Message.Contains("CertificateUntrusted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_SigningCertificateExpired_Returns401()
    {
        using WebhookTestCertificates expired = WebhookTestCertificates.Create(signerNotAfter: WebhookTestCertificates.Now.AddDays(-1));
        await using WebhookTestHost host = await StartAsync(expired);

        using HttpResponseMessage response = await PostSignedAsync(host, expired);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
    }

    [Fact]
    public async Task Post_SigningKeyShorterThan2048Bits_Returns401()
    {
        using WebhookTestCertificates weak = WebhookTestCertificates.Create(signerKeySize: 1024);
        await using WebhookTestHost host = await StartAsync(weak);

        using HttpResponseMessage response = await PostSignedAsync(host, weak);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
    }

    [Fact]
    public async Task Post_OnlineRevocationWithoutRevocationData_FailsClosedWith401()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:RevocationMode"] = "Online",
        });

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3153 && r.Message.Contains("RevocationStatusUnknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_RevocationModeNoCheck_LogsWarning()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3154 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Post_CertificateLargerThanLimit_Returns401()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:MaxCertificateBytes"] = "1024",
        });
        host.Certificates.Serve(CertificateUrl, [.. Trusted.SignerDer, .. new byte[2048]]);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3151 && r.Message.Contains("CertificateUnavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_CertificateUrlAnswers404_Returns401()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        const string Missing = $"https://{CertificateHost}/cert/missing.cer";

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, certificateUrl: Missing);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([new Uri(Missing)], host.Certificates.Requests);
    }

    [Fact]
    public async Task Post_CertificateNotX509_Returns401()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Certificates.Serve(CertificateUrl, Encoding.ASCII.GetBytes("<html>not a certificate</html>"));

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_CertificateServedAsPem_Accepted()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Certificates.Serve(CertificateUrl, Encoding.ASCII.GetBytes(Trusted.Signer.ExportCertificatePem()));

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_SignatureNotBase64_Returns401WithoutFetch()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        using HttpResponseMessage response = await host.PostAsync(FraudEventBody(), "Signature not*base64!");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Theory]
    [InlineData("Signature AAAA")]
    [InlineData("Signature SGVsbG8gd29ybGQ=")]
    public async Task Post_SignatureOfWrongLength_Returns401(string signature)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        using HttpResponseMessage response = await host.PostAsync(FraudEventBody(), signature);

        AssertNothingDelivered(HttpStatusCode.Unauthorized, response, host);
    }

    [Fact]
    public async Task Post_EmptySignature_Returns400()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);

        using HttpResponseMessage response = await host.PostAsync(FraudEventBody(), "Signature ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
    }

    [Theory]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public async Task Post_MissingHeader_Returns400WithoutFetch(bool withSignature, bool withCertificateUrl, bool withAlgorithm)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();

        using HttpResponseMessage response = await host.PostAsync(
            body,
            withSignature ? $"Signature {Trusted.Sign(body)}" : null,
            withCertificateUrl ? CertificateUrl : null,
            withAlgorithm ? "rsa-sha256" : null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Fact]
    public async Task Post_BearerAuthorizationInsteadOfSignature_Returns400()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();

        using HttpResponseMessage response = await host.PostAsync(body, $"Bearer {Trusted.Sign(body)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_SameBodyDeliveredTwice_SinkCalledOnceAndBothAcknowledged()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = FraudEventBody();
        string signature = $"Signature {Trusted.Sign(body)}";

        using HttpResponseMessage first = await host.PostAsync(body, signature);
        using HttpResponseMessage second = await host.PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(host.Sink.Events);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3156);
    }

    [Fact]
    public async Task Post_SameBodyAfterDeduplicationWindow_ProcessedAgain()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:DeduplicationWindow"] = "00:10:00",
        });
        byte[] body = FraudEventBody();
        string signature = $"Signature {Trusted.Sign(body)}";

        using HttpResponseMessage first = await host.PostAsync(body, signature);
        host.Time.Advance(TimeSpan.FromMinutes(10));
        using HttpResponseMessage second = await host.PostAsync(body, signature);

        Assert.Equal(2, host.Sink.Events.Count);
    }

    [Fact]
    public async Task Post_TwoEventsSameCertificate_DownloadsCertificateOnce()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] one = FraudEventBody(subscriptionId: "9e8d7c6b-0000-4000-8000-00000000a001");
        byte[] two = FraudEventBody(subscriptionId: "9e8d7c6b-0000-4000-8000-00000000a002");

        using HttpResponseMessage first = await host.PostAsync(one, $"Signature {Trusted.Sign(one)}");
        using HttpResponseMessage second = await host.PostAsync(two, $"Signature {Trusted.Sign(two)}");

        Assert.Equal(2, host.Sink.Events.Count);
        Assert.Single(host.Certificates.Requests);
    }

    [Fact]
    public async Task Post_AfterCertificateCacheDuration_DownloadsCertificateAgain()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateCacheDuration"] = "00:30:00",
        });
        byte[] one = FraudEventBody(subscriptionId: "9e8d7c6b-0000-4000-8000-00000000a001");
        byte[] two = FraudEventBody(subscriptionId: "9e8d7c6b-0000-4000-8000-00000000a002");

        using HttpResponseMessage first = await host.PostAsync(one, $"Signature {Trusted.Sign(one)}");
        host.Time.Advance(TimeSpan.FromMinutes(30));
        using HttpResponseMessage second = await host.PostAsync(two, $"Signature {Trusted.Sign(two)}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, host.Certificates.Requests.Count);
    }

    [Fact]
    public async Task Post_DeclaredBodyOverLimit_Returns413WithoutFetch()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:MaxBodyBytes"] = "1024",
        });
        byte[] body = new byte[2048];

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
        Assert.Empty(host.Sink.Events);
    }

    [Fact]
    public async Task Post_UndeclaredBodyOverLimit_Returns413WithoutFetch()
    {
        await using WebhookTestHost host = await StartAsync(Trusted, new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:MaxBodyBytes"] = "1024",
        });
        byte[] body = new byte[2048];

        using HttpResponseMessage response = await host.PostAsync(body, $"Signature {Trusted.Sign(body)}", content: new UnknownLengthContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Certificates.Requests);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "ResourceUri": "https://api.partnercenter.microsoft.com/v1/fraudEvents" }""")]
    [InlineData("[]")]
    public async Task Post_SignedBodyNotAnEvent_Returns400(string json)
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = Encoding.UTF8.GetBytes(json);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, body);

        AssertNothingDelivered(HttpStatusCode.BadRequest, response, host);
    }

    [Fact]
    public async Task Post_SinkFails_Returns503AndRedeliveryIsProcessed()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        host.Sink.FailNext();
        byte[] body = FraudEventBody();
        string signature = $"Signature {Trusted.Sign(body)}";

        using HttpResponseMessage failed = await host.PostAsync(body, signature);
        using HttpResponseMessage redelivered = await host.PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(host.Sink.Events);
    }

    [Fact]
    public async Task Post_TestCreatedEvent_AcknowledgedWithoutSink()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = Encoding.UTF8.GetBytes("""
            { "EventName": "test-created", "ResourceUri": "https://api.partnercenter.microsoft.com/webhooks/v1/test/f5d1b4f8-4e0d-4a7b-8a9e-2c7b4f1d6e3a", "ResourceName": "test", "AuditUri": null, "ResourceChangeUtcDate": "2026-11-28T08:59:58.2466817+00:00" }
            """);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, body);

        AssertNothingDelivered(HttpStatusCode.OK, response, host);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3157);
    }

    [Fact]
    public async Task Post_FraudEventWithoutSubscriptionId_HandedOverWithNullId()
    {
        await using WebhookTestHost host = await StartAsync(Trusted);
        byte[] body = Encoding.UTF8.GetBytes("""
            { "EventName": "azure-fraud-event-detected", "ResourceUri": "https://api.partnercenter.microsoft.com/v1/fraudEvents?EventStatus=Active", "ResourceChangeUtcDate": "not a date" }
            """);

        using HttpResponseMessage response = await PostSignedAsync(host, Trusted, body);

        FraudEvent received = Assert.Single(host.Sink.Events);
        Assert.Null(received.SubscriptionId);
        Assert.Null(received.ResourceChangeUtcDate);
        Assert.Equal("Active", received.EventStatus);
    }

    /// <summary>Posts <paramref name="body"/> (a fraud event unless given) signed by <paramref name="signer"/>, as Partner Center does.</summary>
    private static Task<HttpResponseMessage> PostSignedAsync(
        WebhookTestHost host, WebhookTestCertificates signer, byte[]? body = null, string? certificateUrl = WebhookTestHost.CertificateUrl, string? algorithm = "rsa-sha256")
    {
        body ??= FraudEventBody();
        return host.PostAsync(body, $"Signature {signer.Sign(body)}", certificateUrl, algorithm);
    }

    /// <summary>The answer was <paramref name="expected"/> and nothing reached the alert pipeline.</summary>
    private static void AssertNothingDelivered(HttpStatusCode expected, HttpResponseMessage response, WebhookTestHost host)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(host.Sink.Events);
    }
}
