using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TeamsAlertBot.Tests.Webhooks.Fakes;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks;

/// <summary>
/// The webhook endpoint on a TestServer, registered as the host does, with the certificate
/// download served by <see cref="WebhookFakeCertificateHost"/>, the test root trusted through the
/// trust provider, a fake clock, and a recording sink.
/// </summary>
internal sealed class WebhookTestHost : IAsyncDisposable
{
    public const string CertificateHost = "certs.partnercenter.test";
    public const string CertificateUrl = $"https://{CertificateHost}/cert/pcnotifications-dispatch.partnercenter.test.cer";
    public const string Path = "/api/partnercenter/webhook";

    private readonly WebApplication _app;

    private WebhookTestHost(WebApplication app, WebhookFakeCertificateHost certificates, WebhookRecordingFraudEventSink sink, FakeTimeProvider time)
    {
        _app = app;
        Certificates = certificates;
        Sink = sink;
        Time = time;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public WebhookFakeCertificateHost Certificates { get; }

    public WebhookRecordingFraudEventSink Sink { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public IServiceProvider Services => _app.Services;

    /// <summary>A fraud event body shaped like Partner Center's documented sample.</summary>
    public static byte[] FraudEventBody(string subscriptionId = "9E8D7C6B-0000-4000-8000-00000000A001", string changeDate = "2026-11-28T08:58:12.3520276+00:00") =>
        Encoding.UTF8.GetBytes($$"""
            {
              "EventName": "azure-fraud-event-detected",
              "ResourceUri": "https://api.partnercenter.microsoft.com/v1/fraudEvents?SubscriptionId={{subscriptionId}}&EventStatus=Active",
              "AuditUri": null,
              "ResourceChangeUtcDate": "{{changeDate}}"
            }
            """);

    public static async Task<WebhookTestHost> StartAsync(
        WebhookTestCertificates trusted,
        IDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var settings = new Dictionary<string, string?>
        {
            ["PartnerCenter:Webhook:CertificateHosts:0"] = CertificateHost,
            ["PartnerCenter:Webhook:RequiredIssuerOrganization"] = "Contoso Test CA",
            // The test certificates name no CRL or OCSP endpoint (see the Online-mode test).
            ["PartnerCenter:Webhook:RevocationMode"] = "NoCheck",
        };
        foreach ((string key, string? value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        var certificates = new WebhookFakeCertificateHost().Serve(CertificateUrl, trusted.SignerDer);
        var sink = new WebhookRecordingFraudEventSink();
        var time = new FakeTimeProvider(WebhookTestCertificates.Now);
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IFraudEventSink>(sink);
        builder.Services.AddSingleton<IWebhookCertificateTrust>(new WebhookTestRootTrust(trusted.Root));
        builder.AddPartnerCenterWebhook();
        builder.Services.AddHttpClient(WebhookCertificateClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => certificates);
        services?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.MapPartnerCenterWebhook();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new WebhookTestHost(app, certificates, sink, time);
    }

    /// <summary>Posts <paramref name="body"/> with the given headers (null = header left out).</summary>
    public Task<HttpResponseMessage> PostAsync(
        byte[] body,
        string? signature,
        string? certificateUrl = CertificateUrl,
        string? algorithm = "rsa-sha256",
        string signatureHeader = "Authorization",
        HttpContent? content = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content ?? new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(signatureHeader, signature);
        }

        if (certificateUrl is not null)
        {
            request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", certificateUrl);
        }

        if (algorithm is not null)
        {
            request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", algorithm);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
