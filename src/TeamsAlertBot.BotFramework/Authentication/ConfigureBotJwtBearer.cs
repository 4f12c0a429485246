using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TeamsAlertBot.BotFramework.Authentication;

/// <summary>
/// Configures JwtBearer to validate channel tokens as the Bot Connector authentication rules
/// require: keys from the OpenID metadata, exact issuer, audience = app id, RS256/384/512, lifetime
/// with five minutes' skew. After validation it records the signing key's endorsements, which are
/// checked against the activity's channel id once the body is read (<see cref="ActivityAuthorizer"/>).
/// </summary>
internal sealed class ConfigureBotJwtBearer(
    IOptions<BotFrameworkOptions> botOptions,
    IOptions<BotIdentity> identity) : IConfigureNamedOptions<JwtBearerOptions>
{
    private static readonly string[] Algorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != BotAuthenticationDefaults.Scheme)
        {
            return;
        }

        BotFrameworkOptions bot = botOptions.Value;
        options.MetadataAddress = bot.OpenIdMetadataUrl;
        options.RequireHttpsMetadata = true;
        options.MapInboundClaims = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.RefreshInterval = bot.MetadataRefreshInterval;
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = [bot.ChannelIssuer],
            ValidateAudience = true,
            // An empty app id would make every token fail, which is what anonymous mode must not rely on:
            // the endpoint is not mapped with this scheme in that mode.
            ValidAudiences = [identity.Value.ClientId ?? string.Empty],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
        };
        options.Events = new JwtBearerEvents { OnTokenValidated = RecordEndorsementsAsync };
    }

    private static async Task RecordEndorsementsAsync(TokenValidatedContext context)
    {
        string? keyId = context.SecurityToken.SigningKey?.KeyId;
        if (string.IsNullOrEmpty(keyId) && context.SecurityToken is JsonWebToken jwt)
        {
            keyId = jwt.Kid;
        }

        string[] endorsements = [];
        if (!string.IsNullOrEmpty(keyId) && context.Options.ConfigurationManager is { } manager)
        {
            // The configuration is cached by the manager; this does not fetch per request.
            OpenIdConnectConfiguration configuration =
                await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
            JsonWebKey? key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == keyId);
            if (key is not null && key.AdditionalData.TryGetValue("endorsements", out object? value))
            {
                endorsements = ReadStrings(value);
            }
        }

        context.HttpContext.Items[BotAuthenticationDefaults.EndorsementsItem] = endorsements;
    }

    private static string[] ReadStrings(object? value) => value switch
    {
        string single => [single],
        JsonElement { ValueKind: JsonValueKind.Array } array =>
            [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
        IEnumerable<object> items => [.. items.Select(i => i?.ToString()).OfType<string>()],
        _ => [],
    };
}
