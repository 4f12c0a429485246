using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Graph.Delegated;
using TeamsAlertBot.Tests.PartnerCenter.Fakes;

namespace TeamsAlertBot.Tests.Graph.Delegated;

public sealed class DelegatedGraphTokenSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string HomeAccountId => $"{DelegatedFakeEntraId.AdminObjectId}.{DelegatedFakeEntraId.TenantId}";

    [Fact]
    public async Task GetAuthorizationAsync_NoAdminConsented_ThrowsTellingAnAdminToVisitTheConsentPage()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();

        GraphDelegatedConsentRequiredException error = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(
            () => app.DelegatedSource.GetAuthorizationAsync(Ct));

        Assert.Equal(DelegatedGrantProblem.NotConsented, error.Problem);
        Assert.Contains("an admin of the partner tenant must visit /admin/graph-consent again", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<GraphException>(error);
        Assert.Empty(app.Entra.Requests);
    }

    [Fact]
    public async Task GetAuthorizationAsync_AfterConsent_ReturnsTheCachedDelegatedTokenWithoutCallingEntraId()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        using HttpResponseMessage consent = await app.ConsentAsync();

        var header = await app.DelegatedSource.GetAuthorizationAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Equal("Bearer fake-graph-delegated-access-token-1", header.ToString());
        Assert.Equal(GraphAccessKind.Delegated, app.DelegatedSource.AccessKind);
        Assert.Single(app.Entra.Requests);
    }

    [Fact]
    public async Task GetAuthorizationAsync_AccessTokenExpiring_RedeemsTheStoredRefreshTokenForGraphScope()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        // MSAL refreshes a token that expires within five minutes.
        using HttpResponseMessage consent = await app.ConsentAsync(start => new DelegatedFakeTokens(start.Nonce, ExpiresIn: 60));
        app.Entra.AnswerTokens(new DelegatedFakeTokens("unused", AccessToken: "fake-graph-delegated-access-token-2", RefreshToken: "fake-graph-refresh-token-2"));

        var header = await app.DelegatedSource.GetAuthorizationAsync(Ct);

        Assert.Equal("Bearer fake-graph-delegated-access-token-2", header.ToString());
        DelegatedFakeTokenRequest refresh = app.Entra.Requests[^1];
        Assert.Equal("refresh_token", refresh["grant_type"]);
        Assert.Equal("fake-graph-refresh-token-1", refresh["refresh_token"]);
        Assert.Contains("https://graph.microsoft.com/PartnerSecurity.ReadWrite.All", refresh["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAuthorizationAsync_RefreshTokenExpiredOrRevoked_ThrowsGrantExpiredWithoutEntraIdsText()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        using HttpResponseMessage consent = await app.ConsentAsync(start => new DelegatedFakeTokens(start.Nonce, ExpiresIn: 60));
        app.Entra.AnswerInvalidGrant();

        GraphDelegatedConsentRequiredException error = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(
            () => app.DelegatedSource.GetAuthorizationAsync(Ct));

        Assert.Equal(DelegatedGrantProblem.GrantExpired, error.Problem);
        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.Contains("/admin/graph-consent", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain("AADSTS", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == 3058);
    }

    [Fact]
    public async Task GetAuthorizationAsync_TokenCacheEntryGone_ThrowsGrantMissing()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        using HttpResponseMessage consent = await app.ConsentAsync();
        _ = await app.DelegatedSource.GetAuthorizationAsync(Ct);
        await app.Cache.RemoveAsync(DelegatedCacheKeys.TokenCache(HomeAccountId), Ct);

        GraphDelegatedConsentRequiredException error = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(
            () => app.DelegatedSource.GetAuthorizationAsync(Ct));

        Assert.Equal(DelegatedGrantProblem.GrantMissing, error.Problem);
    }

    [Fact]
    public async Task TokenCache_AfterConsent_StoredBytesHoldNoTokenText()
    {
        await using DelegatedTestApp app = await DelegatedTestApp.StartAsync();
        var tokens = new DelegatedFakeTokens("n");

        using HttpResponseMessage consent = await app.ConsentAsync(start => tokens with { Nonce = start.Nonce });

        byte[] stored = (await app.Cache.GetAsync(DelegatedCacheKeys.TokenCache(HomeAccountId), Ct))!;
        Assert.NotEmpty(stored);
        Assert.Contains(DelegatedCacheKeys.Account, app.Cache.Lifetimes.Keys);
        foreach (string key in app.Cache.Lifetimes.Keys)
        {
            byte[] written = await app.Cache.GetAsync(key, Ct) ?? [];
            string asText = Encoding.UTF8.GetString(written);
            string asLatin1 = Encoding.Latin1.GetString(written);
            foreach (string secret in new[] { tokens.AccessToken, tokens.RefreshToken, "fake-code", "\"secret\"", "RefreshToken" })
            {
                Assert.DoesNotContain(secret, asText, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, asLatin1, StringComparison.Ordinal);
            }
        }

        foreach (var record in app.Logs.GetSnapshot())
        {
            Assert.DoesNotContain(tokens.AccessToken, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(tokens.RefreshToken, record.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TokenCache_AnotherInstanceWithTheSameKeyRing_ReadsTheGrant()
    {
        var cache = new RecordingDistributedCache();
        var keyRing = new EphemeralDataProtectionProvider();
        await using (DelegatedTestApp first = await DelegatedTestApp.StartAsync(cache: cache, dataProtection: keyRing))
        {
            using HttpResponseMessage consent = await first.ConsentAsync();
        }

        await using DelegatedTestApp second = await DelegatedTestApp.StartAsync(cache: cache, dataProtection: keyRing);

        Assert.Equal("Bearer fake-graph-delegated-access-token-1", (await second.DelegatedSource.GetAuthorizationAsync(Ct)).ToString());
    }

    [Fact]
    public async Task TokenCache_InstanceWithAnotherKeyRing_ThrowsCacheUnreadable()
    {
        var cache = new RecordingDistributedCache();
        await using (DelegatedTestApp first = await DelegatedTestApp.StartAsync(cache: cache))
        {
            using HttpResponseMessage consent = await first.ConsentAsync();
        }

        await using DelegatedTestApp second = await DelegatedTestApp.StartAsync(cache: cache, dataProtection: new EphemeralDataProtectionProvider());

        GraphDelegatedConsentRequiredException error = await Assert.ThrowsAsync<GraphDelegatedConsentRequiredException>(
            () => second.DelegatedSource.GetAuthorizationAsync(Ct));
        Assert.Equal(DelegatedGrantProblem.CacheUnreadable, error.Problem);
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Id.Id == 3059);
    }
}
