using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>
/// The delegated grants of the fake Entra ID's token endpoint (the secure application model): an
/// authorization code redeemed once for the partner admin's tokens (an id token with the nonce the
/// bot sent, a refresh token), and that refresh token redeemed for any consented resource — the
/// access token's audience and <c>scp</c> follow the requested scope, as Entra ID's do. Client
/// credentials stay with <see cref="LoopbackFakes"/>.
/// </summary>
public sealed class FakeAdminGrant(ChannelSigningKey key)
{
    public const string AdminObjectId = "5a1e0000-0000-4000-8000-0000000ad777";
    private const string RefreshToken = "fake-admin-refresh-token";

    private readonly Lock _gate = new();
    private string? _code;
    private string? _nonce;

    /// <summary>Every scope a refresh-token redemption asked for, in order.</summary>
    public List<string> RefreshedScopes { get; } = [];

    /// <summary>The admin signs in at the authorize endpoint: the next redemption of <paramref name="code"/> answers with <paramref name="nonce"/>.</summary>
    public void SignIn(string code, string nonce)
    {
        lock (_gate)
        {
            _code = code;
            _nonce = nonce;
        }
    }

    /// <summary>The token endpoint's answer to a delegated grant; null for any other grant type.</summary>
    public IResult? Answer(string tenant, IReadOnlyDictionary<string, string> form)
    {
        string scope = form.GetValueOrDefault("scope", string.Empty);
        switch (form.GetValueOrDefault("grant_type"))
        {
            case "authorization_code":
                string? nonce;
                lock (_gate)
                {
                    nonce = form.GetValueOrDefault("code") == _code ? _nonce : null;
                    _code = null; // redeemed once, as Entra ID does
                }

                return nonce is null ? InvalidGrant() : Tokens(tenant, scope, IdToken(tenant, form.GetValueOrDefault("client_id", string.Empty), nonce));
            case "refresh_token":
                if (form.GetValueOrDefault("refresh_token") != RefreshToken)
                {
                    return InvalidGrant();
                }

                lock (_gate)
                {
                    RefreshedScopes.Add(scope);
                }

                return Tokens(tenant, scope, idToken: null);
            default:
                return null;
        }
    }

    private IResult Tokens(string tenant, string scope, string? idToken)
    {
        // The first resource scope names the audience (offline_access, openid, profile are not resources).
        string resourceScope = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(s => s.Contains('/', StringComparison.Ordinal));
        int slash = resourceScope.LastIndexOf('/');
        string token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"https://sts.windows.net/{tenant}/",
            Audience = resourceScope[..slash],
            Claims = new Dictionary<string, object> { ["scp"] = resourceScope[(slash + 1)..], ["oid"] = AdminObjectId, ["tid"] = tenant, ["amr"] = new[] { "pwd", "mfa" } },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key.SecurityKey, SecurityAlgorithms.RsaSha256),
        });
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = $"{resourceScope} openid profile offline_access",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
            ["refresh_token"] = RefreshToken,
            ["client_info"] = Segment($$"""{"uid":"{{AdminObjectId}}","utid":"{{tenant}}"}"""),
        };
        if (idToken is not null)
        {
            body["id_token"] = idToken;
        }

        return Results.Json(body);
    }

    private static string IdToken(string tenant, string clientId, string nonce)
    {
        var payload = new JsonObject
        {
            ["aud"] = clientId,
            ["iss"] = $"https://login.test/{tenant}/v2.0",
            ["iat"] = 1_780_000_000,
            ["nbf"] = 1_780_000_000,
            ["exp"] = 4_000_000_000,
            ["oid"] = AdminObjectId,
            ["sub"] = "sub-" + AdminObjectId,
            ["tid"] = tenant,
            ["nonce"] = nonce,
            ["preferred_username"] = "admin@partner.test",
            ["name"] = "Partner Admin",
            ["ver"] = "2.0",
        };
        // MSAL reads, and does not check, the id token it redeems; the signature is a placeholder.
        return $"{Segment("""{"alg":"RS256","typ":"JWT","kid":"fake"}""")}.{Segment(payload.ToJsonString())}.c2lnbmF0dXJl";
    }

    private static IResult InvalidGrant() => Results.Json(
        new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "AADSTS70000: The grant is invalid.", ["error_codes"] = new JsonArray(70000) },
        statusCode: StatusCodes.Status400BadRequest);

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
