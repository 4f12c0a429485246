using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TeamsAlertBot.IntegrationTests.Infrastructure;

/// <summary>An RSA signing key of the fake Bot Framework token service, with its endorsements.</summary>
public sealed class ChannelSigningKey(string keyId, IReadOnlyList<string>? endorsements) : IDisposable
{
    public RSA Rsa { get; } = RSA.Create(2048);

    public string KeyId { get; } = keyId;

    public IReadOnlyList<string>? Endorsements { get; } = endorsements;

    public RsaSecurityKey SecurityKey => new(Rsa) { KeyId = KeyId };

    /// <summary>The key as a JWKS entry, with the Bot Framework's extra <c>endorsements</c> array.</summary>
    public JsonObject ToJwk()
    {
        RSAParameters p = Rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (Endorsements is not null)
        {
            jwk["endorsements"] = new JsonArray([.. Endorsements.Select(e => JsonValue.Create(e))]);
        }

        return jwk;
    }

    public void Dispose() => Rsa.Dispose();
}

/// <summary>Builds channel tokens the way the Bot Framework token service does, and forged ones.</summary>
public static class ChannelTokens
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The claims of a genuine channel token for <paramref name="appId"/> and <paramref name="serviceUrl"/>.</summary>
    public static Dictionary<string, object> Claims(string appId, string? serviceUrl, TimeProvider? time = null)
    {
        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = BotFrameworkIssuer,
            ["aud"] = appId,
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(59).ToUnixTimeSeconds(),
        };
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return claims;
    }

    /// <summary>Signs <paramref name="claims"/> with <paramref name="key"/> (RS256 unless told otherwise).</summary>
    public static string Sign(IDictionary<string, object> claims, ChannelSigningKey key, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.SecurityKey, algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public static string WithoutSignature(IDictionary<string, object> claims, string keyId) =>
        $"{Segment(new { alg = "none", typ = "JWT", kid = keyId })}.{Segment(claims)}.";

    /// <summary>The classic key-confusion forgery: HS256 with the RSA public key as the HMAC secret.</summary>
    public static string HmacWithPublicKey(IDictionary<string, object> claims, ChannelSigningKey key)
    {
        string header = Segment(new { alg = "HS256", typ = "JWT", kid = key.KeyId });
        string payload = Segment(claims);
        byte[] secret = Encoding.UTF8.GetBytes(key.Rsa.ExportSubjectPublicKeyInfoPem());
        byte[] mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64UrlEncoder.Encode(mac)}";
    }

    /// <summary>A token whose payload was changed after signing.</summary>
    public static string Tampered(string token, string claim, object value)
    {
        string[] parts = token.Split('.');
        JsonObject payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = JsonValue.Create(value);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static string Segment(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));

    /// <summary>A user principal for <see cref="ClaimsIdentity"/>-based helpers.</summary>
    public static ClaimsIdentity Identity(string appId) => new([new Claim("appid", appId)]);
}
