using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Authentication;

namespace TeamsAlertBot.Tests.Authentication;

/// <summary>MSAL's instance discovery for a non-Microsoft AzureAd:Instance is answered here, never sent on.</summary>
public sealed class EntraInstanceDiscoveryHandlerTests
{
    private const string Discovery = "https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint=";

    [Fact]
    public async Task Send_DiscoveryForTheConfiguredAuthority_AnsweredLocally()
    {
        using var network = new RecordingHandler();
        using HttpMessageInvoker client = Client("https://127.0.0.1:8443/", network);

        using HttpResponseMessage response = await client.SendAsync(Get(Discovery + Uri.EscapeDataString("https://127.0.0.1:8443/tenant-1/oauth2/v2.0/authorize")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("https://127.0.0.1:8443/tenant-1/v2.0/.well-known/openid-configuration", (string?)answer["tenant_discovery_endpoint"]);
        Assert.Equal("127.0.0.1:8443", (string?)answer["metadata"]![0]!["aliases"]![0]);
        Assert.Empty(network.Requests);
    }

    [Theory]
    [InlineData("https://evil.example/tenant-1/oauth2/v2.0/authorize")]
    [InlineData("https://127.0.0.1:9443/tenant-1/oauth2/v2.0/authorize")]
    [InlineData("not a url")]
    public async Task Send_DiscoveryForAnotherAuthority_RefusedAndNothingSent(string authorize)
    {
        using var network = new RecordingHandler();
        using HttpMessageInvoker client = Client("https://127.0.0.1:8443/", network);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(Get(Discovery + Uri.EscapeDataString(authorize)), TestContext.Current.CancellationToken));

        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task Send_MicrosoftCloudInstance_DiscoveryGoesWhereTheSettingPoints()
    {
        using var network = new RecordingHandler();
        using HttpMessageInvoker client = Client("https://login.microsoftonline.com/", network);

        using HttpResponseMessage response = await client.SendAsync(Get(Discovery + Uri.EscapeDataString("https://login.microsoftonline.com/t/oauth2/v2.0/authorize")), TestContext.Current.CancellationToken);

        Assert.Single(network.Requests);
    }

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpMessageInvoker Client(string instance, HttpMessageHandler network)
    {
        ServiceProvider services = new ServiceCollection()
            .Configure<MicrosoftIdentityApplicationOptions>(BotIdentity.SectionName, o => o.Instance = instance)
            .BuildServiceProvider();
        var handler = new EntraInstanceDiscoveryHandler(services.GetRequiredService<IOptionsMonitor<MicrosoftIdentityApplicationOptions>>()) { InnerHandler = network };
        return new HttpMessageInvoker(handler);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
        }
    }
}
