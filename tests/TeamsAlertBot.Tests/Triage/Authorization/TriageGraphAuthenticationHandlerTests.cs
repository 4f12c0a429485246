using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamsAlertBot.Tests.Graph;
using TeamsAlertBot.Tests.Triage.Authorization.Fakes;
using TeamsAlertBot.Triage.Authorization;
using static TeamsAlertBot.Tests.Triage.Authorization.TriageAuthorizationTestHost;

namespace TeamsAlertBot.Tests.Triage.Authorization;

public sealed class TriageGraphAuthenticationHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/groups/g/transitiveMembers/u")]
    [InlineData("http://graph.test/v1.0/groups/g/transitiveMembers/u")]
    [InlineData("https://graph.test:444/v1.0/groups/g/transitiveMembers/u")]
    [InlineData("https://graph.test.attacker.example/v1.0/groups/g/transitiveMembers/u")]
    public async Task SendAsync_RequestToAnotherOrigin_ThrowsWithoutFetchingATokenOrSending(string url)
    {
        var graph = new TriageFakeGraph();
        var tokens = new GraphFakeAuthorizationHeaderProvider();
        using IHost host = Build(Configured(), graph: graph, tokens: tokens);
        using HttpClient http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(TriageGroupMembershipClient.HttpClientName);

        await Assert.ThrowsAsync<TriageGraphOriginRefusedException>(() => http.GetAsync(new Uri(url), Ct));

        Assert.Empty(graph.Requests);
        Assert.Empty(tokens.AppRequests);
    }

    [Fact]
    public async Task SendAsync_ConfiguredOriginWithDefaultPortSpelledOut_GetsTheAppToken()
    {
        var graph = new TriageFakeGraph();
        using IHost host = Build(Configured(), graph: graph);
        using HttpClient http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(TriageGroupMembershipClient.HttpClientName);

        using HttpResponseMessage response = await http.GetAsync(new Uri("https://GRAPH.test:443/v1.0/groups/g/transitiveMembers/u"), Ct);

        Assert.Equal($"Bearer {GraphFakeAuthorizationHeaderProvider.Token}", Assert.Single(graph.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_NationalCloudScopeConfigured_AsksForThatScope()
    {
        Dictionary<string, string?> config = Configured();
        config["Triage:Authorization:GraphScope"] = "https://graph.microsoft.us/.default";
        var tokens = new GraphFakeAuthorizationHeaderProvider();
        using IHost host = Build(config, tokens: tokens);
        using HttpClient http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(TriageGroupMembershipClient.HttpClientName);

        using HttpResponseMessage response = await http.GetAsync(new Uri($"{GraphRoot}/groups/g/transitiveMembers/u"), Ct);

        Assert.Equal(("https://graph.microsoft.us/.default", "AzureAd"), Assert.Single(tokens.AppRequests));
    }
}
