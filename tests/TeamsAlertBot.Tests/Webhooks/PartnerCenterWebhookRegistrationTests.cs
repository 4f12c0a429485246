using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamsAlertBot.Webhooks;

namespace TeamsAlertBot.Tests.Webhooks;

public sealed class PartnerCenterWebhookRegistrationTests
{
    [Fact]
    public void AddPartnerCenterWebhook_CertificateClient_NeverFollowsRedirects()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddPartnerCenterWebhook();
        using IHost host = builder.Build();

        HttpMessageHandler handler = host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(WebhookCertificateClient.HttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        SocketsHttpHandler primary = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.False(primary.AllowAutoRedirect);
    }

    [Fact]
    public void AddPartnerCenterWebhook_NothingRegistered_UsesSystemTrustAndInMemoryDeduplicator()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddPartnerCenterWebhook();
        using IHost host = builder.Build();

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
        };
        host.Services.GetRequiredService<IWebhookCertificateTrust>().Apply(policy);

        Assert.Equal(X509ChainTrustMode.System, policy.TrustMode);
        Assert.IsType<InMemoryWebhookDeduplicator>(host.Services.GetRequiredService<IWebhookDeduplicator>());
    }

    [Fact]
    public void MapPartnerCenterWebhook_NoSinkRegistered_Throws()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddPartnerCenterWebhook();
        using WebApplication app = builder.Build();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => app.MapPartnerCenterWebhook());

        Assert.Contains("IFraudEventSink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapPartnerCenterWebhook_CustomPattern_ServesThere()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddPartnerCenterWebhook();
        builder.Services.AddSingleton<IFraudEventSink, Fakes.WebhookRecordingFraudEventSink>();
        await using WebApplication app = builder.Build();
        app.MapPartnerCenterWebhook("/hooks/pc");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using HttpClient client = app.GetTestClient();

        using HttpResponseMessage custom = await client.PostAsync("/hooks/pc", new ByteArrayContent([]), TestContext.Current.CancellationToken);
        using HttpResponseMessage standard = await client.PostAsync("/api/partnercenter/webhook", new ByteArrayContent([]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, custom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, standard.StatusCode);
    }
}
