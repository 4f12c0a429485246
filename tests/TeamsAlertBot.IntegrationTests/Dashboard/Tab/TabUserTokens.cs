using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TeamsAlertBot.IntegrationTests.Infrastructure;

namespace TeamsAlertBot.IntegrationTests.Dashboard.Tab;

/// <summary>Entra v2 access tokens as Teams SSO hands them to the tab: for the bot's app id, from the partner tenant.</summary>
internal static class TabUserTokens
{
    /// <summary>The Teams web client's app id (the token's <c>azp</c>).</summary>
    public const string TeamsWebClientId = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";

    /// <summary>A token for <paramref name="objectId"/> signed by <paramref name="key"/> (the fake tenant's key unless a test forges one).</summary>
    public static string Sign(LoopbackFakes fakes, string objectId, string name, ChannelSigningKey? key = null, TimeSpan? lifetime = null)
    {
        DateTime now = DateTime.UtcNow;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = fakes.EntraIssuer,
            Audience = BotApp.AppId,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object>
            {
                ["tid"] = LoopbackFakes.TenantId,
                ["oid"] = objectId,
                ["name"] = name,
                ["preferred_username"] = $"{name.Split(' ')[0].ToLowerInvariant()}@contoso.example",
                ["scp"] = "access_as_user",
                ["azp"] = TeamsWebClientId,
                ["ver"] = "2.0",
            },
            SigningCredentials = new SigningCredentials((key ?? fakes.EntraKey).SecurityKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
