using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TeamsAlertBot.Graph.Delegated;

namespace TeamsAlertBot.Tests.Graph.Delegated;

public sealed class GraphConsentEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(GraphConsentEndpoints.ConsentPath)]
    [InlineData(GraphConsentEndpoints.CallbackPath + "?code=c&state=s")]
    public async Task Consent_EnabledFalse_Returns404(string path)
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(("Graph:Delegated:Enabled", "false")));

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(app.Cache.Lifetimes);
    }

    [Fact]
    public async Task Consent_AddGraphDelegatedAccessNotCalled_Returns404()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(addDelegatedAccess: false);

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri(GraphConsentEndpoints.ConsentPath, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Start_Enabled_RedirectsToTenantAuthorizeEndpointWithPkceS256AndPromptLogin()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        ConsentStart start = await app.StartConsentAsync();

        Assert.Equal($"{DelegatedFakeEntraId.Instance}{DelegatedFakeEntraId.TenantId}/oauth2/v2.0/authorize", start.Authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal(DelegatedFakeEntraId.ClientId, start.Query("client_id"));
        Assert.Equal("code", start.Query("response_type"));
        Assert.Equal("query", start.Query("response_mode"));
        // One consent for Graph and for Partner Center's App+User scope (the organization profile needs it).
        Assert.Equal(
            "https://graph.microsoft.com/PartnerSecurity.ReadWrite.All https://api.partnercenter.microsoft.com/user_impersonation offline_access openid profile",
            start.Query("scope"));
        Assert.Equal("login", start.Query("prompt"));
        Assert.Equal("S256", start.Query("code_challenge_method"));
        Assert.Equal(43, start.CodeChallenge.Length);
        Assert.Equal("http://localhost/admin/graph-consent/callback", start.Query("redirect_uri"));
        Assert.True(start.State.Length >= 43);
        Assert.NotEqual(start.State, start.Nonce);
    }

    [Fact]
    public async Task Start_Enabled_SetsProtectedCookieHttpOnlySecureLaxOnConsentPathForConsentTimeout()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri(GraphConsentEndpoints.ConsentPath, UriKind.Relative), Ct);

        SetCookieHeaderValue cookie = SetCookieHeaderValue.ParseList([.. response.Headers.GetValues(HeaderNames.SetCookie)]).Single();
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal(GraphConsentEndpoints.ConsentPath, cookie.Path.ToString());
        Assert.Equal(TimeSpan.FromMinutes(10), cookie.MaxAge);
        string state = ConsentStart.QueryValue(response.Headers.Location!, "state")!;
        Assert.DoesNotContain(state, cookie.Value.ToString(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Start_ManyAnonymousVisitors_KeepNothingOnTheServer()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage response = await app.Client.GetAsync(new Uri(GraphConsentEndpoints.ConsentPath, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        // What the callback needs travels in the browser's protected cookie, not in Redis.
        Assert.Empty(app.Cache.Lifetimes);
    }

    [Fact]
    public async Task Consent_MoreRequestsThanTheLimit_Answers429()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(("Graph:Delegated:ConsentRequestsPerMinute", "3")));
        var statuses = new List<HttpStatusCode>();

        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await app.Client.GetAsync(new Uri(GraphConsentEndpoints.ConsentPath, UriKind.Relative), Ct);
            statuses.Add(response.StatusCode);
        }

        // Far fewer than a minute passes between the requests.
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Start_EnabledWithoutAllowedAdmins_RefusesToStartNamingTheSetting()
    {
        Dictionary<string, string?> configuration = DelegatedTestApp.Configuration();
        configuration.Remove("Graph:Delegated:AllowedAdminObjectIds:0");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => DelegatedTestApp.StartAsync(configuration));

        Assert.Contains("Graph:Delegated:AllowedAdminObjectIds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_AllowedAdmin_RedeemsCodeWithPkceVerifierAndAppCredentialAndKeepsTheGrant()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(
            ("Graph:Delegated:AllowedAdminObjectIds:0", DelegatedFakeEntraId.AdminObjectId)));
        ConsentStart start = await app.StartConsentAsync();
        app.Entra.AnswerTokens(new DelegatedFakeTokens(start.Nonce));

        using HttpResponseMessage response = await app.CallbackAsync($"code=the-code&state={Uri.EscapeDataString(start.State)}", start.Cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("admin@partner.test", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        DelegatedFakeTokenRequest redemption = Assert.Single(app.Entra.Requests);
        Assert.Equal("authorization_code", redemption["grant_type"]);
        Assert.Equal("the-code", redemption["code"]);
        Assert.Equal(DelegatedFakeEntraId.ClientSecret, redemption["client_secret"]);
        Assert.Equal("http://localhost/admin/graph-consent/callback", redemption["redirect_uri"]);
        Assert.Equal(start.CodeChallenge, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(redemption["code_verifier"]!))));
        DelegatedAccount? account = await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct);
        Assert.Equal($"{DelegatedFakeEntraId.AdminObjectId}.{DelegatedFakeEntraId.TenantId}", account?.HomeAccountId);
        Assert.Equal(DelegatedTestApp.Start, account?.ConsentedAt);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 3056);
    }

    [Fact]
    public async Task Callback_WrongState_Returns400AndRedeemsNothing()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();

        using HttpResponseMessage response = await app.CallbackAsync("code=the-code&state=forged-state", start.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(app.Entra.Requests);
        Assert.Null(await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct));
    }

    [Fact]
    public async Task Callback_StateWithoutTheBrowsersCookie_Returns400AndRedeemsNothing()
    {
        // Login CSRF: a valid state and code, replayed into a browser that did not start the consent.
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        ConsentStart other = await app.StartConsentAsync();

        using HttpResponseMessage noCookie = await app.CallbackAsync($"code=the-code&state={Uri.EscapeDataString(start.State)}", cookie: null);
        using HttpResponseMessage otherCookie = await app.CallbackAsync($"code=the-code&state={Uri.EscapeDataString(start.State)}", other.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, noCookie.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherCookie.StatusCode);
        Assert.Empty(app.Entra.Requests);
    }

    [Fact]
    public async Task Callback_Replayed_CookieIsDeletedAndEntraIdRefusesTheUsedCode()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        app.Entra.AnswerTokens(new DelegatedFakeTokens(start.Nonce));
        string query = $"code=the-code&state={Uri.EscapeDataString(start.State)}";
        using HttpResponseMessage first = await app.CallbackAsync(query, start.Cookie);
        // Whoever kept a copy of the cookie replays the callback: the code is Entra ID's to refuse.
        app.Entra.AnswerInvalidGrant("AADSTS54005: OAuth2 Authorization code was already redeemed.");

        using HttpResponseMessage second = await app.CallbackAsync(query, start.Cookie);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(DeletesTheCookie(first));
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(DelegatedFakeEntraId.AdminObjectId, (await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct))?.ObjectId);
    }

    [Fact]
    public async Task Callback_CookieOlderThanConsentTimeout_Returns400()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using HttpResponseMessage response = await app.CallbackAsync($"code=the-code&state={Uri.EscapeDataString(start.State)}", start.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(app.Entra.Requests);
    }

    [Fact]
    public async Task Callback_CookieNotProtectedByThisKeyRing_Returns400()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        string forged = $"{GraphConsentFlow.CookieName}={Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"state\":\"x\"}"))}";

        using HttpResponseMessage response = await app.CallbackAsync($"code=the-code&state={Uri.EscapeDataString(start.State)}", forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(app.Entra.Requests);
    }

    private static bool DeletesTheCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out IEnumerable<string>? values)
        && SetCookieHeaderValue.ParseList([.. values]).Any(c => c.Name == GraphConsentFlow.CookieName && c.Expires < DateTimeOffset.UnixEpoch.AddYears(1));

    [Fact]
    public async Task Callback_IdTokenTidOfAnotherTenant_Returns403AndKeepsNoTokens()
    {
        const string otherTenant = "0be7a000-0000-4000-8000-0000000ba0d0";
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        using HttpResponseMessage response = await app.ConsentAsync(start => new DelegatedFakeTokens(start.Nonce, TenantId: otherTenant));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another tenant", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNoGrantKeptAsync(app);
    }

    [Fact]
    public async Task Callback_GuestWithAnotherHomeTenant_Returns403AndKeepsNoTokens()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        using HttpResponseMessage response = await app.ConsentAsync(start => new DelegatedFakeTokens(start.Nonce, HomeTenantId: "9e57a000-0000-4000-8000-00000000e570"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertNoGrantKeptAsync(app);
    }

    [Fact]
    public async Task Callback_AdminNotInAllowedList_Returns403AndKeepsNoTokens()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(
            ("Graph:Delegated:AllowedAdminObjectIds:0", "5a1e0000-0000-4000-8000-000000000001")));

        using HttpResponseMessage response = await app.ConsentAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("AllowedAdminObjectIds", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNoGrantKeptAsync(app);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 3055);
    }

    [Fact]
    public async Task Callback_IdTokenWithAnotherNonce_Returns400AndKeepsNoTokens()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        using HttpResponseMessage response = await app.ConsentAsync(_ => new DelegatedFakeTokens("another-nonce"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNoGrantKeptAsync(app);
    }

    [Fact]
    public async Task Callback_EntraIdAnsweredError_Returns400WithoutRedeemingAndDeletesTheCookie()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        string query = $"error=access_denied&error_description=%3Cscript%3E&state={Uri.EscapeDataString(start.State)}";

        using HttpResponseMessage response = await app.CallbackAsync(query, start.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("access_denied", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.True(DeletesTheCookie(response));
        Assert.Empty(app.Entra.Requests);
    }

    [Fact]
    public async Task Callback_CodeRefusedByEntraId_Returns400AndKeepsNoGrant()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        ConsentStart start = await app.StartConsentAsync();
        app.Entra.AnswerInvalidGrant("AADSTS54005: OAuth2 Authorization code was already redeemed.");

        using HttpResponseMessage response = await app.CallbackAsync($"code=used&state={Uri.EscapeDataString(start.State)}", start.Cookie);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_grant", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct));
    }

    [Fact]
    public async Task Callback_SecondAdminConsents_ReplacesTheGrantAndRemovesTheFirstAdminsTokens()
    {
        const string secondAdmin = "5ec0d000-0000-4000-8000-0000000ad002";
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(
            ("Graph:Delegated:AllowedAdminObjectIds:1", secondAdmin)));
        using HttpResponseMessage first = await app.ConsentAsync();

        using HttpResponseMessage second = await app.ConsentAsync(start => new DelegatedFakeTokens(
            start.Nonce, ObjectId: secondAdmin, AccessToken: "second-access-token", RefreshToken: "second-refresh-token", Username: "second@partner.test"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        DelegatedAccount? account = await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct);
        Assert.Equal(secondAdmin, account?.ObjectId);
        Assert.Null(await app.Cache.GetAsync(DelegatedCacheKeys.TokenCache($"{DelegatedFakeEntraId.AdminObjectId}.{DelegatedFakeEntraId.TenantId}"), Ct));
        Assert.Equal("Bearer second-access-token", (await app.DelegatedSource.GetAuthorizationAsync(Ct)).ToString());
    }

    private static async Task AssertNoGrantKeptAsync(DelegatedTestApp app)
    {
        Assert.Null(await app.Services.GetRequiredService<DelegatedAccountStore>().GetAsync(Ct));
        Assert.Null(await app.Cache.GetAsync(DelegatedCacheKeys.TokenCache($"{DelegatedFakeEntraId.AdminObjectId}.{DelegatedFakeEntraId.TenantId}"), Ct));
        Assert.Null(await app.Cache.GetAsync(DelegatedCacheKeys.TokenCache($"{DelegatedFakeEntraId.AdminObjectId}.0be7a000-0000-4000-8000-0000000ba0d0"), Ct));
        Assert.Null(await app.Cache.GetAsync(DelegatedCacheKeys.TokenCache($"{DelegatedFakeEntraId.AdminObjectId}.9e57a000-0000-4000-8000-00000000e570"), Ct));
    }
    [Fact]
    public async Task Callback_JapaneseBrowser_PageInJapanese_LogInEnglish()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync(DelegatedTestApp.Configuration(
            ("Graph:Delegated:AllowedAdminObjectIds:0", "5a1e0000-0000-4000-8000-000000000001")));
        app.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9,en;q=0.8");

        using HttpResponseMessage response = await app.ConsentAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        string page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("委任された Graph アクセスは設定されませんでした", page, StringComparison.Ordinal);
        Assert.Contains("Graph:Delegated:AllowedAdminObjectIds に含まれていません", page, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 3055 && r.Message.Contains("the user is not in Graph:Delegated:AllowedAdminObjectIds", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ja", "アクセスを設定しました")]
    [InlineData("fr-FR, ja;q=0.2", "アクセスを設定しました")]
    [InlineData("en-US,ja;q=0.5", "access is set up for")]
    [InlineData("ja;q=0, en;q=0.1", "access is set up for")]
    [InlineData("fr-FR", "access is set up for")]
    [InlineData("", "access is set up for")]
    public async Task Consent_Done_InTheBrowsersPreferredLanguage(string acceptLanguage, string expected)
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        if (acceptLanguage.Length > 0)
        {
            app.Client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using HttpResponseMessage response = await app.ConsentAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_WithoutState_JapaneseBrowser_SaysHowToStartAgain()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        app.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja");

        using HttpResponseMessage response = await app.CallbackAsync("code=x", cookie: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("コールバックに state がありません。 /admin/graph-consent からやり直してください。", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
