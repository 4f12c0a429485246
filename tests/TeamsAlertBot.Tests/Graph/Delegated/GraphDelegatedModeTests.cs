using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.Graph.Delegated;

/// <summary>The Graph client as the host registers it, with delegated access in each mode, against the fake Graph.</summary>
public sealed class GraphDelegatedModeTests
{
    private const string AppHeader = $"Bearer {GraphFakeAuthorizationHeaderProvider.Token}";
    private const string DelegatedHeader = "Bearer delegated-token";

    private readonly FakeTimeProvider _time = new(DelegatedTestApp.Start);
    private readonly GraphFakeAuthorizationHeaderProvider _appTokens = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_FallbackAndAppOnlyRefusedForMfa_SendsOnceMoreWithDelegatedTokenAndSucceeds()
    {
        var delegated = DelegatedFakeTokenSource.Delegated();
        GraphFakeHandler graph = MfaForAppOnly();
        using IHost host = await StartAsync(graph, "Fallback", delegated);

        PartnerSecurityAlert? alert = await Client(host).GetAsync("a1", Ct);

        Assert.Equal("a1", alert?.Id);
        Assert.Equal([AppHeader, DelegatedHeader], graph.Requests.Select(r => r.Authorization));
        Assert.Equal(GraphAccessKind.Delegated, host.Services.GetRequiredService<FallbackGraphTokenSource>().CurrentKind);
        Assert.Contains(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 3060);
    }

    [Fact]
    public async Task UpdateAsync_FallbackAndAppOnlyRefusedForMfa_SendsTheSamePatchBodyWithDelegatedToken()
    {
        GraphFakeHandler graph = MfaForAppOnly("""{"id":"a1","status":"investigating"}""");
        using IHost host = await StartAsync(graph, "Fallback", DelegatedFakeTokenSource.Delegated());

        await Client(host).UpdateAsync("a1", AlertUpdate.Investigating, Ct);

        Assert.Equal(2, graph.Requests.Count);
        Assert.All(graph.Requests, r => Assert.Equal(HttpMethod.Patch, r.Method));
        Assert.Equal(graph.Requests[0].Body, graph.Requests[1].Body);
        Assert.Equal(DelegatedHeader, graph.Requests[1].Authorization);
    }

    [Fact]
    public async Task GetAsync_FallbackWithinRetryAppOnlyAfter_UsesOnlyDelegatedThenAppOnlyAgainAfterIt()
    {
        GraphFakeHandler graph = MfaForAppOnly();
        using IHost host = await StartAsync(graph, "Fallback", DelegatedFakeTokenSource.Delegated(), ("Graph:Delegated:RetryAppOnlyAfter", "00:30:00"));
        PartnerSecurityAlertClient client = Client(host);
        await client.GetAsync("a1", Ct);

        _time.Advance(TimeSpan.FromMinutes(29));
        await client.GetAsync("a1", Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync("a1", Ct);

        Assert.Equal(
            [AppHeader, DelegatedHeader, DelegatedHeader, AppHeader, DelegatedHeader],
            graph.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task GetAsync_FallbackSwitchedByAnotherRequestWhileInFlight_StillTreatsItsRefusalAsAppOnlyAndRetries()
    {
        FallbackGraphTokenSource? fallback = null;
        var graph = new GraphFakeHandler(request =>
        {
            if (request.Authorization != AppHeader)
            {
                return GraphFakeHandler.Ok(GraphTestHost.Alert("a1"));
            }

            // A concurrent request's refusal switches the source before this one's answer arrives.
            fallback!.ReportMfaRequired(GraphAccessKind.Application);
            return GraphFakeHandler.Error(HttpStatusCode.Forbidden, "Unauthorized_MissingMFA", "MFA is required for this request.");
        });
        using IHost host = await StartAsync(graph, "Fallback", DelegatedFakeTokenSource.Delegated());
        fallback = host.Services.GetRequiredService<FallbackGraphTokenSource>();

        PartnerSecurityAlert? alert = await Client(host).GetAsync("a1", Ct);

        Assert.Equal("a1", alert?.Id);
        Assert.Equal([AppHeader, DelegatedHeader], graph.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task GetAsync_FallbackAndDelegatedRefusedForMfaToo_ThrowsForDelegatedAfterTwoRequests()
    {
        var graph = new GraphFakeHandler(_ => GraphFakeHandler.Error(HttpStatusCode.Forbidden, "Unauthorized_MissingMFA", "MFA is required for this request."));
        using IHost host = await StartAsync(graph, "Fallback", DelegatedFakeTokenSource.Delegated());

        GraphMfaRequiredException error = await Assert.ThrowsAsync<GraphMfaRequiredException>(() => Client(host).GetAsync("a1", Ct));

        Assert.Equal(GraphAccessKind.Delegated, error.RefusedAccess);
        Assert.Equal(2, graph.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_FallbackWithoutConsent_ThrowsConsentRequiredNamingTheConsentPage()
    {
        GraphFakeHandler graph = MfaForAppOnly();
        using IHost host = await StartAsync(graph, "Fallback", delegated: null);

        GraphDelegatedConsentRequiredException error = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(
            () => Client(host).GetAsync("a1", Ct));

        Assert.Equal(DelegatedGrantProblem.NotConsented, error.Problem);
        Assert.Contains("/admin/graph-consent", error.Message, StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task GetAsync_ModeOff_MfaRefusalPropagatesAndDelegatedIsNeverAsked()
    {
        var delegated = DelegatedFakeTokenSource.Delegated();
        GraphFakeHandler graph = MfaForAppOnly();
        using IHost host = await StartAsync(graph, "Off", delegated);

        GraphMfaRequiredException error = await Assert.ThrowsAsync<GraphMfaRequiredException>(() => Client(host).GetAsync("a1", Ct));
        await Assert.ThrowsAsync<GraphMfaRequiredException>(() => Client(host).GetAsync("a1", Ct));

        Assert.Equal(GraphAccessKind.Application, error.RefusedAccess);
        Assert.Equal(0, delegated.Calls);
        Assert.All(graph.Requests, r => Assert.Equal(AppHeader, r.Authorization));
        Assert.Equal(GraphAccessKind.Application, host.Services.GetRequiredService<IGraphTokenSource>().AccessKind);
        Assert.Null(host.Services.GetService<FallbackGraphTokenSource>());
    }

    [Fact]
    public async Task GetAsync_ModeAlways_SendsOnlyTheDelegatedToken()
    {
        var graph = new GraphFakeHandler(_ => GraphFakeHandler.Ok(GraphTestHost.Alert("a1")));
        using IHost host = await StartAsync(graph, "Always", DelegatedFakeTokenSource.Delegated());

        await Client(host).GetAsync("a1", Ct);

        Assert.Equal(DelegatedHeader, Assert.Single(graph.Requests).Authorization);
        Assert.Empty(_appTokens.AppRequests);
    }

    [Fact]
    public void AddGraphDelegatedAccess_AfterAddPartnerSecurityGraph_ThrowsNamingTheOrder()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddPartnerSecurityGraph();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => builder.AddGraphDelegatedAccess());

        Assert.Contains("before AddPartnerSecurityGraph", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FallbackWithoutAppRegistration_FailsNamingTheMissingSettings()
    {
        var graph = new GraphFakeHandler(_ => GraphFakeHandler.Ok("{}"));

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => StartAsync(graph, "Fallback", null, ("AzureAd:ClientId", null), ("AzureAd:TenantId", "partner.onmicrosoft.com")));

        Assert.Contains("AzureAd:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:TenantId must be the partner tenant's id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RedisWithoutPersistedKeyRing_FailsNamingPersistKeysToStackExchangeRedis()
    {
        var graph = new GraphFakeHandler(_ => GraphFakeHandler.Ok("{}"));

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => StartAsync(graph, "Fallback", null, ("Redis:ConnectionString", "127.0.0.1:1")));

        Assert.Contains("PersistKeysToStackExchangeRedis", error.Message, StringComparison.Ordinal);
    }

    private static PartnerSecurityAlertClient Client(IHost host) => host.Services.GetRequiredService<PartnerSecurityAlertClient>();

    /// <summary>Graph as the MFA-requiring tenant answers: 403 Unauthorized_MissingMFA to app tokens, the alert to delegated ones.</summary>
    private static GraphFakeHandler MfaForAppOnly(string? body = null) => new(request => request.Authorization == AppHeader
        ? GraphFakeHandler.Json(
            HttpStatusCode.Forbidden,
            """{"Error":{"Code":"Unauthorized_MissingMFA","Message":"MFA is required for this request. The provided authentication token does not have MFA claims."}}""")
        : GraphFakeHandler.Ok(body ?? GraphTestHost.Alert("a1")));

    private async Task<IHost> StartAsync(GraphFakeHandler graph, string mode, IGraphTokenSource? delegated, params (string Key, string? Value)[] overrides)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(DelegatedTestApp.Configuration([("Graph:Delegated:Mode", mode), ("Graph:Delegated:Enabled", "false"), .. overrides]));
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IAuthorizationHeaderProvider>(_appTokens);
        builder.Services.AddSingleton<IDistributedCache>(new RecordingDistributedCache());
        builder.AddGraphDelegatedAccess();
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        if (delegated is not null)
        {
            builder.Services.AddKeyedSingleton(GraphAccessKind.Delegated, delegated);
        }

        builder.AddPartnerSecurityGraph();
        builder.Services.AddHttpClient(PartnerSecurityAlertClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => graph);
        builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.Zero);
        IHost host = builder.Build();
        try
        {
            await host.StartAsync(Ct);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }
}
