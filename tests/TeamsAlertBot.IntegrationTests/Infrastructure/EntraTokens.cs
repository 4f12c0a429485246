namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>User access tokens as Teams SSO gets them from Entra for the tab, signed by the fake tenant's key.</summary>
public static class EntraTokens
{
    /// <summary>The claims of a genuine v2 access token of <paramref name="objectId"/> for <paramref name="audience"/>.</summary>
    public static Dictionary<string, object> Claims(LoopbackFakes fakes, string objectId, string audience = BotApp.AppId, string tenantId = LoopbackFakes.TenantId, string? issuer = null, string name = "Aiko Analyst")
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new Dictionary<string, object>
        {
            ["iss"] = issuer ?? fakes.EntraIssuer,
            ["aud"] = audience,
            ["tid"] = tenantId,
            ["oid"] = objectId,
            ["name"] = name,
            ["preferred_username"] = "aiko@partner.example",
            ["scp"] = "access_as_user",
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(59).ToUnixTimeSeconds(),
        };
    }

    /// <summary>A bearer header with a genuine token of <paramref name="objectId"/>.</summary>
    public static string Bearer(LoopbackFakes fakes, string objectId) => "Bearer " + ChannelTokens.Sign(Claims(fakes, objectId), fakes.EntraKey);
}
