using System.Net;
using Microsoft.IdentityModel.Tokens;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Auth;

/// <summary>
/// The inbound token rules of the Bot Connector authentication spec, against a bot configured for
/// loopback metadata: every forged or misdirected token is refused, and a refused activity never
/// makes the bot call out.
/// </summary>
// Run once (on the plain server): the inbound token checks do not depend on the Redis topology.
[Trait("Redis", "None")]
public sealed class ForgedTokenTests(RedisServer redis) : IAsyncLifetime
{
    private LoopbackFakes _fakes = null!;
    private BotApp _bot = null!;

    public async ValueTask InitializeAsync()
    {
        _fakes = await LoopbackFakes.StartAsync();
        // No Bot:AllowedTenants: by default the bot serves its own tenant (AzureAd:TenantId) only.
        _bot = new BotApp(BotApp.Authenticated(_fakes, redis));
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _fakes.DisposeAsync();
    }

    private Dictionary<string, object> GenuineClaims() => ChannelTokens.Claims(BotApp.AppId, _fakes.ServiceUrl);

    public static TheoryData<string> ForgedCases() =>
    [
        "bad signature",
        "alg none",
        "HS256 signed with the public key",
        "unknown key id",
        "signed by another key claiming a published kid",
        "PS256 (algorithm not allowed)",
        "wrong issuer",
        "wrong audience",
        "token for another app id",
        "expired beyond the 5 minute skew",
        "not yet valid beyond the 5 minute skew",
        "missing serviceurl claim",
        "serviceurl mismatch",
        "key not endorsed for msteams",
        "no token",
        "malformed header: Basic scheme",
        "malformed header: Bearer without token",
        "malformed header: not a JWT",
        "empty serviceurl claim",
    ];

    [Theory]
    [MemberData(nameof(ForgedCases))]
    public async Task PostActivity_ForgedOrMisdirectedToken_Returns401AndCallsNothing(string forgery)
    {
        string? authorization = Forge(forgery);

        using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Empty(_fakes.ConnectorRequests);
        Assert.Empty(_fakes.TokenRequests);
    }

    [Fact]
    public async Task PostActivity_AnotherTenantWithDefaultSettings_Returns403AndCallsNothing()
    {
        string token = ChannelTokens.Sign(GenuineClaims(), _fakes.ChannelKey);

        using HttpResponseMessage response = await _bot.PostActivityAsync(
            TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help", tenantId: TeamsActivities.OtherTenantId), $"Bearer {token}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_fakes.ConnectorRequests);
    }

    [Fact]
    public async Task PostActivity_GenuineToken_Returns200AndRepliesWithAppToken()
    {
        string token = ChannelTokens.Sign(GenuineClaims(), _fakes.ChannelKey);

        using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest reply = Assert.Single(await LoopbackFakes.WaitForAsync(_fakes.ConnectorRequests, 1));
        Assert.StartsWith("Bearer ", reply.Authorization, StringComparison.Ordinal);
        RecordedRequest tokenRequest = Assert.Single(_fakes.TokenRequests);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", tokenRequest.Body, StringComparison.Ordinal);
        Assert.Contains("grant_type=client_credentials", tokenRequest.Body, StringComparison.Ordinal);
        Assert.Empty(LoopbackOnlyHandler.RefusedRequests);
    }

    [Fact]
    public async Task PostActivity_ExpiredWithinClockSkew_IsAccepted()
    {
        Dictionary<string, object> claims = GenuineClaims();
        claims["exp"] = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeSeconds();
        claims["nbf"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds();

        using HttpResponseMessage response = await _bot.PostActivityAsync(
            TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), $"Bearer {ChannelTokens.Sign(claims, _fakes.ChannelKey)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostActivity_KeyPublishedAfterStart_IsAcceptedOnceMetadataRefreshes()
    {
        // Warm the metadata cache with the old key set.
        using (HttpResponseMessage warm = await _bot.PostActivityAsync(
            TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), $"Bearer {ChannelTokens.Sign(GenuineClaims(), _fakes.ChannelKey)}"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        ChannelSigningKey rotated = _fakes.AddKey(["msteams"]);
        string token = ChannelTokens.Sign(GenuineClaims(), rotated);

        // An unknown kid asks for a refresh (at most once per Bot:MetadataRefreshInterval, 1 s here).
        HttpStatusCode status = HttpStatusCode.Unauthorized;
        for (int attempt = 0; attempt < 30 && status != HttpStatusCode.OK; attempt++)
        {
            using HttpResponseMessage response = await _bot.PostActivityAsync(TeamsActivities.ChannelMessage(_fakes.ServiceUrl, "help"), $"Bearer {token}");
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private string? Forge(string forgery)
    {
        Dictionary<string, object> claims = GenuineClaims();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        switch (forgery)
        {
            case "bad signature":
                return Bearer(ChannelTokens.Tampered(ChannelTokens.Sign(claims, _fakes.ChannelKey), "aud", BotApp.AppId + " "));
            case "alg none":
                return Bearer(ChannelTokens.WithoutSignature(claims, _fakes.ChannelKey.KeyId));
            case "HS256 signed with the public key":
                return Bearer(ChannelTokens.HmacWithPublicKey(claims, _fakes.ChannelKey));
            case "unknown key id":
                using (ChannelSigningKey unpublished = LoopbackFakes.UnpublishedKey())
                {
                    return Bearer(ChannelTokens.Sign(claims, unpublished));
                }

            case "signed by another key claiming a published kid":
                using (var impostor = new ChannelSigningKey(_fakes.ChannelKey.KeyId, ["msteams"]))
                {
                    return Bearer(ChannelTokens.Sign(claims, impostor));
                }

            case "PS256 (algorithm not allowed)":
                return Bearer(ChannelTokens.Sign(claims, _fakes.ChannelKey, SecurityAlgorithms.RsaSsaPssSha256));
            case "wrong issuer":
                claims["iss"] = "https://sts.windows.net/" + LoopbackFakes.TenantId + "/";
                break;
            case "wrong audience":
                claims["aud"] = "https://api.botframework.com";
                break;
            case "token for another app id":
                claims["aud"] = "0f9e8d7c-6b5a-4948-3726-15f4e3d2c1b0";
                claims["appid"] = "0f9e8d7c-6b5a-4948-3726-15f4e3d2c1b0";
                break;
            case "expired beyond the 5 minute skew":
                claims["nbf"] = now.AddHours(-2).ToUnixTimeSeconds();
                claims["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
                claims["exp"] = now.AddMinutes(-10).ToUnixTimeSeconds();
                break;
            case "not yet valid beyond the 5 minute skew":
                claims["nbf"] = now.AddMinutes(10).ToUnixTimeSeconds();
                claims["iat"] = now.AddMinutes(10).ToUnixTimeSeconds();
                claims["exp"] = now.AddHours(1).ToUnixTimeSeconds();
                break;
            case "missing serviceurl claim":
                claims.Remove("serviceurl");
                break;
            case "empty serviceurl claim":
                claims["serviceurl"] = string.Empty;
                break;
            case "serviceurl mismatch":
                claims["serviceurl"] = _fakes.ForeignServiceUrl;
                break;
            case "key not endorsed for msteams":
                return Bearer(ChannelTokens.Sign(claims, _fakes.UnendorsedKey));
            case "no token":
                return null;
            case "malformed header: Basic scheme":
                return "Basic " + Convert.ToBase64String("bot:secret"u8.ToArray());
            case "malformed header: Bearer without token":
                return "Bearer";
            case "malformed header: not a JWT":
                return "Bearer not-a-jwt";
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, "unknown case");
        }

        return Bearer(ChannelTokens.Sign(claims, _fakes.ChannelKey));
    }

    private static string Bearer(string token) => $"Bearer {token}";
}
