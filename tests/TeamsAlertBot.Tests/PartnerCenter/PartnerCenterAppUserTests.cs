using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.Tests.Graph.Delegated;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.PartnerCenter;

/// <summary>
/// Partner Center App+User (the secure application model): which requests carry the partner admin's
/// token, and that the admin's one consent yields it through the stored refresh token.
/// </summary>
public sealed class PartnerCenterAppUserTests
{
    private const string UserScope = "https://api.partnercenter.microsoft.com/user_impersonation";
    private const string Url = "https://api.partnercenter.microsoft.com/v1/profiles/organization";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_RequestMarkedAppUser_CarriesTheAdminsTokenForTheUserScope()
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, FakeUserTokens users, PartnerCenterFakeAuthorizationHeaderProvider apps) = Create();
        using HttpMessageInvoker disposable = invoker;

        using HttpResponseMessage response = await invoker.SendAsync(Marked(Url), Ct);

        Assert.Equal("Bearer admin-token", Assert.Single(partnerCenter.Requests).Authorization);
        Assert.Equal([UserScope], users.Scopes);
        Assert.Empty(apps.AppRequests);
    }

    [Fact]
    public async Task SendAsync_UnmarkedRequest_KeepsTheAppToken()
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, FakeUserTokens users, _) = Create();
        using HttpMessageInvoker disposable = invoker;

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), Ct);

        Assert.Equal($"Bearer {PartnerCenterFakeAuthorizationHeaderProvider.Token}", Assert.Single(partnerCenter.Requests).Authorization);
        Assert.Empty(users.Scopes);
    }

    [Fact]
    public async Task SendAsync_UserAccessAlways_EveryRequestCarriesTheAdminsToken()
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, _, _) = Create(new PartnerCenterOptions { UserAccess = PartnerCenterUserAccess.Always });
        using HttpMessageInvoker disposable = invoker;

        using HttpResponseMessage response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), Ct);

        Assert.Equal("Bearer admin-token", Assert.Single(partnerCenter.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_MarkedRequestToAnotherOrigin_LeavesWithoutAnyTokenAndAsksForNone()
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, FakeUserTokens users, _) = Create();
        using HttpMessageInvoker disposable = invoker;

        using HttpResponseMessage response = await invoker.SendAsync(Marked("https://api.partnercenter.microsoft.com.evil.example/v1/profiles/organization"), Ct);

        Assert.Null(Assert.Single(partnerCenter.Requests).Authorization);
        Assert.Empty(users.Scopes);
    }

    [Theory]
    [InlineData(true, "")]
    [InlineData(false, UserScope)]
    public async Task SendAsync_NoUserScopeOrNoDelegatedAccess_ThrowsNotConfiguredNamingTheSettings(bool registered, string scope)
    {
        (HttpMessageInvoker invoker, PartnerCenterFakeHandler partnerCenter, _, _) = Create(new PartnerCenterOptions { UserScope = scope }, registerUsers: registered);
        using HttpMessageInvoker disposable = invoker;

        Operations.NotConfiguredException missing = await Assert.ThrowsAsync<Operations.NotConfiguredException>(() => invoker.SendAsync(Marked(Url), Ct));

        Assert.Contains("PartnerCenter:UserScope", missing.Settings);
        Assert.Contains("Graph:Delegated:Enabled", missing.Settings);
        Assert.Empty(partnerCenter.Requests);
    }

    [Fact]
    public async Task UserTokens_AfterTheAdminsConsent_RedeemTheRefreshTokenForPartnerCenterOnceThenCache()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        using HttpResponseMessage consent = await app.ConsentAsync();
        app.Entra.AnswerTokens(new DelegatedFakeTokens("unused", AccessToken: "fake-partner-center-user-token", Scope: UserScope));
        IPartnerCenterUserTokens users = app.Services.GetRequiredService<IPartnerCenterUserTokens>();

        AuthenticationHeaderValue first = await users.GetAuthorizationAsync(UserScope, Ct);
        AuthenticationHeaderValue second = await users.GetAuthorizationAsync(UserScope, Ct);

        Assert.Equal("Bearer fake-partner-center-user-token", first.ToString());
        Assert.Equal(first.ToString(), second.ToString());
        DelegatedFakeTokenRequest refresh = app.Entra.Requests[^1];
        Assert.Equal("refresh_token", refresh["grant_type"]);
        Assert.Equal("fake-graph-refresh-token-1", refresh["refresh_token"]);
        Assert.Contains(UserScope, refresh["scope"], StringComparison.Ordinal);
        Assert.Equal(2, app.Entra.Requests.Count); // the code redemption and one refresh; the second call was cached
    }

    [Fact]
    public async Task UserTokens_NobodyConsented_ThrowsNotConsented()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        IPartnerCenterUserTokens users = app.Services.GetRequiredService<IPartnerCenterUserTokens>();

        GraphDelegatedConsentRequiredException refused = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(() => users.GetAuthorizationAsync(UserScope, Ct));

        Assert.Equal(DelegatedGrantProblem.NotConsented, refused.Problem);
        Assert.Empty(app.Entra.Requests);
    }

    [Fact]
    public async Task Consent_UserScopeEmpty_AsksForGraphOnly()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(("PartnerCenter:UserScope", "")));

        ConsentStart start = await app.StartConsentAsync();

        Assert.Equal("https://graph.microsoft.com/PartnerSecurity.ReadWrite.All offline_access openid profile", start.Query("scope"));
    }

    private static HttpRequestMessage Marked(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Options.Set(PartnerCenterUserAccessOption.Required, true);
        return request;
    }

    private static (HttpMessageInvoker Invoker, PartnerCenterFakeHandler PartnerCenter, FakeUserTokens Users, PartnerCenterFakeAuthorizationHeaderProvider Apps) Create(
        PartnerCenterOptions? options = null, bool registerUsers = true)
    {
        var apps = new PartnerCenterFakeAuthorizationHeaderProvider();
        var users = new FakeUserTokens();
        var partnerCenter = new PartnerCenterFakeHandler()
            .On(HttpMethod.Get, "/v1/profiles/organization", () => new HttpResponseMessage(HttpStatusCode.NoContent));
        var services = new ServiceCollection().AddSingleton<IAuthorizationHeaderProvider>(apps);
        if (registerUsers)
        {
            services.AddSingleton<IPartnerCenterUserTokens>(users);
        }

        var handler = new PartnerCenterAuthenticationHandler(Options.Create(options ?? new PartnerCenterOptions()), services.BuildServiceProvider())
        {
            InnerHandler = partnerCenter,
        };
        return (new HttpMessageInvoker(handler), partnerCenter, users, apps);
    }

    private sealed class FakeUserTokens : IPartnerCenterUserTokens
    {
        public List<string> Scopes { get; } = [];

        public Task<AuthenticationHeaderValue> GetAuthorizationAsync(string scope, CancellationToken cancellationToken)
        {
            Scopes.Add(scope);
            return Task.FromResult(new AuthenticationHeaderValue("Bearer", "admin-token"));
        }
    }
}
