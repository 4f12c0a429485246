using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Dashboard;

/// <summary>Names of the dashboard API's authentication (a scheme of its own, apart from the Bot Framework one).</summary>
public static class DashboardAuthenticationDefaults
{
    /// <summary>The JwtBearer scheme that validates the tab's Entra SSO tokens.</summary>
    public const string Scheme = "DashboardEntra";

    /// <summary>The authorization policy of every <c>/api/dashboard/*</c> endpoint.</summary>
    public const string Policy = "DashboardUser";

    /// <summary>The object id claim (<c>oid</c>), kept unmapped.</summary>
    public const string ObjectIdClaim = "oid";

    /// <summary>The tenant id claim (<c>tid</c>).</summary>
    public const string TenantIdClaim = "tid";
}

/// <summary>
/// The tab's tokens, as Teams SSO issues them to the bot's app registration: signed by a key of the
/// configured Entra authority's OpenID metadata, issued by the partner tenant (v1 or v2 issuer), for
/// the bot's app id or its Application ID URI (<c>api://&lt;ClientId&gt;</c>, <c>api://&lt;host&gt;/&lt;ClientId&gt;</c>),
/// not expired, and carrying the partner tenant's <c>tid</c> and an <c>oid</c>. Anything else is 401 with no reason given.
/// </summary>
internal sealed class ConfigureDashboardJwtBearer(
    IOptions<DashboardOptions> dashboard,
    IOptions<BotIdentity> identity,
    IConfiguration configuration) : IConfigureNamedOptions<JwtBearerOptions>
{
    private static readonly string[] Algorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != DashboardAuthenticationDefaults.Scheme)
        {
            return;
        }

        string clientId = identity.Value.ClientId ?? string.Empty;
        string tenantId = (identity.Value.TenantId ?? string.Empty).Trim();
        string authority = AuthorityOf(dashboard.Value, configuration, tenantId);
        options.MetadataAddress = string.IsNullOrWhiteSpace(dashboard.Value.MetadataAddress)
            ? $"{authority.TrimEnd('/')}/.well-known/openid-configuration"
            : dashboard.Value.MetadataAddress;
        options.RequireHttpsMetadata = true;
        options.MapInboundClaims = false;
        options.RefreshOnIssuerKeyNotFound = true;
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = dashboard.Value.ValidIssuers is { Count: > 0 } issuers
                ? issuers
                : [authority.TrimEnd('/'), $"https://sts.windows.net/{tenantId}/"],
            ValidateAudience = true,
            AudienceValidator = (audiences, _, _) => audiences.Any(a => IsOwnAudience(a, clientId)),
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
            NameClaimType = "name",
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                string? tid = context.Principal?.FindFirstValue(DashboardAuthenticationDefaults.TenantIdClaim);
                string? oid = context.Principal?.FindFirstValue(DashboardAuthenticationDefaults.ObjectIdClaim);
                if (tenantId.Length == 0 || !string.Equals(tid, tenantId, StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(oid))
                {
                    context.Fail("invalid token");
                }

                return Task.CompletedTask;
            },
            // 401 as problem+json, without saying why (the reason stays in the server's debug log).
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(statusCode: 401, title: "invalid token").ExecuteAsync(context.HttpContext);
            },
            OnForbidden = async context =>
                await Results.Problem(statusCode: 403, title: "forbidden").ExecuteAsync(context.HttpContext),
        };
    }

    /// <summary>The authority tokens come from: configured, or the partner tenant's v2 endpoint at <c>AzureAd:Instance</c>.</summary>
    internal static string AuthorityOf(DashboardOptions dashboard, IConfiguration configuration, string tenantId)
    {
        if (!string.IsNullOrWhiteSpace(dashboard.Authority))
        {
            return dashboard.Authority.TrimEnd('/');
        }

        string instance = configuration[$"{BotIdentity.SectionName}:Instance"] is { Length: > 0 } configured ? configured : "https://login.microsoftonline.com/";
        return $"{instance.TrimEnd('/')}/{tenantId}/v2.0";
    }

    /// <summary>The app id itself, <c>api://&lt;app id&gt;</c> or <c>api://&lt;host&gt;/&lt;app id&gt;</c> (the tab's webApplicationInfo.resource).</summary>
    internal static bool IsOwnAudience(string audience, string clientId)
    {
        if (clientId.Length == 0 || string.IsNullOrEmpty(audience))
        {
            return false;
        }

        if (string.Equals(audience, clientId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(audience, $"api://{clientId}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        const string scheme = "api://";
        if (!audience.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string rest = audience[scheme.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && rest.IndexOf('/', slash + 1) < 0
            && string.Equals(rest[(slash + 1)..], clientId, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Anonymous mode only (<c>Bot:AllowAnonymous</c>, refused outside Development): the local run with the
/// demo tenant has no Entra app, so every dashboard request is the local developer; roles still come from
/// the triage authorizer (its Development switch).
/// </summary>
internal sealed class DashboardDevelopmentHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The object id of the local developer.</summary>
    public const string LocalObjectId = "00000000-0000-0000-0000-00000000d0e0";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(
            [new Claim(DashboardAuthenticationDefaults.ObjectIdClaim, LocalObjectId), new Claim("name", "Local developer")],
            DashboardAuthenticationDefaults.Scheme,
            "name",
            null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
