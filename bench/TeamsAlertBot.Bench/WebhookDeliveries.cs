using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.Bench;

/// <summary>
/// Partner Center webhook deliveries, signed with the fakes' signing certificate
/// (<see cref="LoopbackFakes.SignWebhook"/>), which the fakes serve at
/// <see cref="LoopbackFakes.WebhookCertificateUrl"/> and the run's test CA issued.
/// </summary>
internal static class WebhookDeliveries
{
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>A fraud event body shaped like Partner Center's sample; the change date makes each one unique.</summary>
    public static byte[] FraudEventBody(string subscriptionId, DateTimeOffset changed) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"EventName":"azure-fraud-event-detected","ResourceUri":"https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId={{subscriptionId}}&EventStatus=Active","AuditUri":null,"ResourceChangeUtcDate":"{{changed.UtcDateTime:O}}"}"""));

    /// <summary>A correctly signed delivery of <paramref name="body"/> to the webhook endpoint.</summary>
    public static HttpRequestMessage Signed(byte[] body, string certificateUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/partnercenter/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"Signature {LoopbackFakes.SignWebhook(body)}");
        request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", certificateUrl);
        request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", "rsa-sha256");
        return request;
    }

    /// <summary>
    /// The <c>O=</c> of the test CA (TEST_CA_CERT), which issued the signing certificate: the value of
    /// PartnerCenter:Webhook:RequiredIssuerOrganization.
    /// </summary>
    public static string TestCaOrganization()
    {
        string certFile = Environment.GetEnvironmentVariable("TEST_CA_CERT") is { Length: > 0 } file
            ? file
            : throw new InvalidOperationException("TEST_CA_CERT is not set: run the bench with bench/run.sh.");
        using X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(certFile);
        foreach (X500RelativeDistinguishedName part in ca.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!part.HasMultipleElements && part.GetSingleElementType().Value == OrganizationOid && part.GetSingleElementValue() is { } organization)
            {
                return organization;
            }
        }

        throw new InvalidOperationException($"The test CA's subject '{ca.Subject}' has no O=; the webhook's issuer check needs one.");
    }
}
