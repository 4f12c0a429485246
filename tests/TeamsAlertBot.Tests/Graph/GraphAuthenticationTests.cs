using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeamsAlertBot.Graph;
using static TeamsAlertBot.Tests.Graph.GraphTestHost;

namespace TeamsAlertBot.Tests.Graph;

public sealed class GraphAuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_GraphOrigin_AttachesAppTokenAcquiredForGraphScopeWithAzureAdSettings()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok(Alert("a1"))));

        await host.Client.GetAsync("a1", Ct);

        Assert.Equal($"Bearer {GraphFakeAuthorizationHeaderProvider.Token}", Assert.Single(host.Graph.Requests).Authorization);
        Assert.Equal(("https://graph.microsoft.com/.default", "AzureAd"), Assert.Single(host.Tokens.AppRequests));
    }

    [Theory]
    [InlineData("https://attacker.example/beta/security/partner/securityAlerts")]
    [InlineData("http://graph.microsoft.com/beta/security/partner/securityAlerts")]
    [InlineData("https://graph.microsoft.com:444/beta/security/partner/securityAlerts")]
    [InlineData("https://graph.microsoft.com.attacker.example/beta/security/partner/securityAlerts")]
    public async Task SendAsync_RequestToAnotherOrigin_ThrowsWithoutTokenOrRequest(string url)
    {
        var graph = GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok("{}"));
        var tokens = new GraphFakeAuthorizationHeaderProvider();
        using IHost host = Build(graph, tokens);
        IHttpClientFactory factory = host.Services.GetRequiredService<IHttpClientFactory>();
        using HttpClient http = factory.CreateClient(PartnerSecurityAlertClient.HttpClientName);

        await Assert.ThrowsAsync<GraphOriginRefusedException>(() => http.GetAsync(new Uri(url), Ct));

        Assert.Empty(graph.Requests);
        Assert.Empty(tokens.AppRequests);
    }

    [Fact]
    public async Task SendAsync_DefaultPortSpelledOut_IsTheSameOriginAndGetsTheToken()
    {
        var graph = GraphFakeHandler.Sequence(() => GraphFakeHandler.Ok("{}"));
        using IHost host = Build(graph, new GraphFakeAuthorizationHeaderProvider());
        using HttpClient http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(PartnerSecurityAlertClient.HttpClientName);

        using HttpResponseMessage response = await http.GetAsync(new Uri("https://GRAPH.microsoft.com:443/beta/security/partner/securityAlerts"), Ct);

        Assert.Equal($"Bearer {GraphFakeAuthorizationHeaderProvider.Token}", Assert.Single(graph.Requests).Authorization);
    }

    [Fact]
    public async Task GetAsync_403MissingMfa_ThrowsGraphMfaRequiredExceptionTellingAdminToUseDelegatedAccess()
    {
        // The body as issue msgraph-beta-sdk-dotnet#1083 reports it (PascalCase envelope).
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Json(
            HttpStatusCode.Forbidden,
            """{"Error":{"Code":"Unauthorized_MissingMFA","Message":"MFA is required for this request. The provided authentication token does not have MFA claims."}}""",
            ("request-id", "req-mfa"))));

        GraphMfaRequiredException error = await Assert.ThrowsAsync<GraphMfaRequiredException>(() => host.Client.GetAsync("a1", Ct));

        Assert.Equal(GraphAccessKind.Application, error.RefusedAccess);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("Unauthorized_MissingMFA", error.ErrorCode);
        Assert.Equal("req-mfa", error.RequestId);
        Assert.Contains("delegated access", error.Message, StringComparison.Ordinal);
        Assert.Contains("secure application model", error.Message, StringComparison.Ordinal);
        Assert.Single(host.Graph.Requests);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3006);
    }

    [Fact]
    public async Task ListAsync_403MissingMfa_ThrowsGraphMfaRequiredException()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Error(
            HttpStatusCode.Forbidden, "Unauthorized_MissingMFA", "MFA is required for this request.")));

        await Assert.ThrowsAsync<GraphMfaRequiredException>(async () => await host.Client.ListAsync(AlertQuery.Open, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task GetAsync_Other403_ThrowsPlainGraphException()
    {
        await using GraphTestHost host = await StartAsync(GraphFakeHandler.Sequence(() => GraphFakeHandler.Error(
            HttpStatusCode.Forbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")));

        GraphException error = await Assert.ThrowsAsync<GraphException>(() => host.Client.GetAsync("a1", Ct));

        Assert.IsNotType<GraphMfaRequiredException>(error);
        Assert.Equal("Authorization_RequestDenied", error.ErrorCode);
        Assert.Equal("inner-request-id", error.RequestId);
    }
}
