using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>Maps the partner admin's one-time consent for delegated Graph access (secure application model).</summary>
public static class GraphConsentEndpoints
{
    /// <summary>Where an admin starts the consent.</summary>
    public const string ConsentPath = "/admin/graph-consent";

    /// <summary>Where Entra ID sends the browser back (the redirect URI to register, under the bot's public origin).</summary>
    public const string CallbackPath = ConsentPath + "/callback";

    /// <summary>The rate-limiter policy both endpoints share (<see cref="GraphDelegatedOptions.ConsentRequestsPerMinute"/>).</summary>
    public const string RateLimitPolicy = "GraphConsent";

    /// <summary>
    /// Maps <c>GET /admin/graph-consent</c> (redirects to Entra ID's authorize endpoint: authorization
    /// code with PKCE, <c>prompt=login</c>) and <c>GET /admin/graph-consent/callback</c> (checks the
    /// browser binding and the single-use state, redeems the code, checks the account's tenant and the
    /// allow-list, and keeps the grant). Both answer 404 unless <c>Graph:Delegated:Enabled</c> is true
    /// and <c>AddGraphDelegatedAccess</c> was called, and 429 past <c>Graph:Delegated:ConsentRequestsPerMinute</c>
    /// (the host must call <c>UseRateLimiter</c>). MFA itself is the partner tenant's conditional access
    /// policy's to demand; Graph refuses a delegated token without it.
    /// </summary>
    /// <returns>The group of both endpoints, for further conventions (e.g. <c>RequireHost</c>).</returns>
    public static RouteGroupBuilder MapGraphDelegatedConsent(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder group = endpoints.MapGroup(ConsentPath).ExcludeFromDescription();
        if (endpoints.ServiceProvider.GetService<GraphConsentFlow>() is not null)
        {
            group.RequireRateLimiting(RateLimitPolicy);
        }

        group.MapGet(string.Empty, (Func<HttpContext, Task<IResult>>)(context => Run(context, (flow, c) => flow.StartAsync(c))))
            .WithName("GraphDelegatedConsent");
        group.MapGet("/callback", (Func<HttpContext, Task<IResult>>)(context => Run(context, (flow, c) => flow.CompleteAsync(c))))
            .WithName("GraphDelegatedConsentCallback");
        return group;
    }

    private static async Task<IResult> Run(HttpContext context, Func<GraphConsentFlow, HttpContext, Task<IResult>> step)
    {
        // Nothing here may be cached or leak through a Referer (the callback URL holds the code).
        IHeaderDictionary headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";

        GraphConsentFlow? flow = context.RequestServices.GetService<GraphConsentFlow>();
        IOptionsMonitor<GraphDelegatedOptions> options = context.RequestServices.GetRequiredService<IOptionsMonitor<GraphDelegatedOptions>>();
        return flow is null || !options.CurrentValue.Enabled
            ? Results.NotFound()
            : await step(flow, context);
    }
}

/// <summary>
/// The authorization-code flow with PKCE behind the consent endpoints. CSRF and replay defences:
/// the <c>state</c>, the PKCE verifier and the id token's nonce are random and travel, with the start
/// time, in a Data-Protected (encrypted, authenticated), HttpOnly, SameSite=Lax cookie that binds
/// the flow to the browser that started it — the server keeps nothing for a visitor who has not
/// signed in. The callback deletes the cookie; a replay of it with a copied cookie would need the
/// authorization code a second time, which Entra ID redeems only once. A callback without the
/// matching cookie, past the consent timeout, or with an id token of another tenant, another home
/// tenant (guests), another nonce or a user off the allow-list keeps nothing.
/// </summary>
internal sealed class GraphConsentFlow(
    DelegatedAppRegistration registration,
    DelegatedClientApplications clients,
    DelegatedAccountStore accounts,
    DelegatedTokenCache tokenCache,
    IDataProtectionProvider dataProtection,
    IOptionsMonitor<GraphDelegatedOptions> options,
    IOptionsMonitor<PartnerCenter.PartnerCenterOptions> partnerCenter,
    TimeProvider time,
    ILogger<GraphConsentFlow> logger)
{
    /// <summary>The cookie that binds a started consent to the browser.</summary>
    public const string CookieName = "TeamsAlertBot.GraphConsent";

    // v2: the cookie holds the whole pending consent (v1 held only the state, the rest was in Redis).
    private const string CookiePurpose = "TeamsAlertBot.Graph.Delegated.ConsentCookie.v2";

    private readonly IDataProtector _cookieProtector = dataProtection.CreateProtector(CookiePurpose);

    /// <summary>
    /// The scopes the admin is asked for: the Graph permission, Partner Center's App+User scope (unless
    /// <c>PartnerCenter:UserScope</c> is empty), a refresh token and an id token. Entra ID's v2 endpoint
    /// takes consent for several resources in one authorize request; the code is redeemed for the first
    /// (Graph), and the refresh token later for Partner Center.
    /// </summary>
    public string[] AuthorizeScopes =>
        [options.CurrentValue.Scope, .. PartnerCenterScope(), "offline_access", "openid", "profile"];

    private IEnumerable<string> PartnerCenterScope() =>
        string.IsNullOrWhiteSpace(partnerCenter.CurrentValue.UserScope) ? [] : [partnerCenter.CurrentValue.UserScope.Trim()];

    public async Task<IResult> StartAsync(HttpContext context)
    {
        GraphDelegatedOptions settings = options.CurrentValue;
        Uri redirectUri = settings.RedirectUri ?? DefaultRedirectUri(context.Request);
        string state = RandomValue();
        string nonce = RandomValue();
        string verifier = RandomValue();
        string challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        var pending = new PendingConsent(state, verifier, nonce, redirectUri, time.GetUtcNow());
        string cookie = _cookieProtector.Protect(JsonSerializer.Serialize(pending, DelegatedJsonContext.Default.PendingConsent));
        context.Response.Cookies.Append(CookieName, cookie, CookieOptions(context, settings.ConsentTimeout));

        Uri authorize = new(registration.Authority, "oauth2/v2.0/authorize");
        KeyValuePair<string, string?>[] parameters =
        [
            new("client_id", registration.ClientId),
            new("response_type", "code"),
            new("response_mode", "query"),
            new("redirect_uri", redirectUri.AbsoluteUri),
            new("scope", string.Join(' ', AuthorizeScopes)),
            new("state", state),
            new("nonce", nonce),
            new("code_challenge", challenge),
            new("code_challenge_method", "S256"),
            // A fresh sign-in, so the tenant's conditional access (MFA) applies now, not to an old session.
            new("prompt", "login"),
        ];
        string query = QueryString.Create(parameters).ToUriComponent();

        DelegatedLog.ConsentStarted(logger, authorize.GetLeftPart(UriPartial.Path), redirectUri);
        return Results.Redirect(authorize.AbsoluteUri + query);
    }

    public async Task<IResult> CompleteAsync(HttpContext context)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        ConsentTexts texts = ConsentTexts.For(context.Request);
        IQueryCollection query = context.Request.Query;
        string? state = query["state"];
        string? cookie = context.Request.Cookies[CookieName];
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, maxAge: null));

        if (string.IsNullOrEmpty(state))
        {
            return Refuse(texts, StatusCodes.Status400BadRequest, t => t.NoState);
        }

        if (cookie is null || TryReadPending(cookie) is not { } pending || !SameSecret(pending.State, state))
        {
            return Refuse(texts, StatusCodes.Status400BadRequest, t => t.OtherBrowser);
        }

        TimeSpan age = time.GetUtcNow() - pending.StartedAt;
        if (age > options.CurrentValue.ConsentTimeout || age < TimeSpan.Zero)
        {
            return Refuse(texts, StatusCodes.Status400BadRequest, t => t.Expired);
        }

        if (query["error"] is { Count: > 0 } error)
        {
            // Entra ID's error code only; its description is not echoed into the page.
            DelegatedLog.ConsentSignInError(logger, error.ToString());
            return Problem(texts, StatusCodes.Status400BadRequest, texts.Format(texts.SignInError, error.ToString()));
        }

        string? code = query["code"];
        if (string.IsNullOrEmpty(code))
        {
            return Refuse(texts, StatusCodes.Status400BadRequest, t => t.NoCode);
        }

        IConfidentialClientApplication app = await clients.CreateForRedemptionAsync(pending.RedirectUri, cancellationToken);
        AuthenticationResult result;
        try
        {
            result = await app.AcquireTokenByAuthorizationCode([options.CurrentValue.Scope], code)
                .WithPkceCodeVerifier(pending.CodeVerifier)
                .ExecuteAsync(cancellationToken);
        }
        catch (MsalServiceException e) when (e.StatusCode is >= 400 and < 500)
        {
            DelegatedLog.ConsentRedemptionRefused(logger, e.ErrorCode, e.StatusCode, e.CorrelationId);
            return Problem(texts, StatusCodes.Status400BadRequest, texts.Format(texts.CodeRefused, e.ErrorCode));
        }
        catch (Exception e) when (e is MsalException or HttpRequestException)
        {
            DelegatedLog.ConsentRedemptionFailed(logger, (e as MsalException)?.ErrorCode ?? e.GetType().Name);
            return Problem(texts, StatusCodes.Status502BadGateway, texts.EntraUnreachable);
        }

        return await AcceptAsync(texts, app, result, pending, cancellationToken);
    }

    private async Task<IResult> AcceptAsync(ConsentTexts texts, IConfidentialClientApplication app, AuthenticationResult result, PendingConsent pending, CancellationToken cancellationToken)
    {
        GraphDelegatedOptions settings = options.CurrentValue;
        ClaimsPrincipal? idToken = result.ClaimsPrincipal;
        string? tenantId = idToken?.FindFirst("tid")?.Value;
        string? objectId = idToken?.FindFirst("oid")?.Value;
        string? homeTenantId = result.Account?.HomeAccountId?.TenantId;

        // Each reason in English for the log and in the reader's language for the page.
        (int Status, Func<ConsentTexts, string> Reason)? rejection =
            idToken is null || result.Account is null ? (StatusCodes.Status400BadRequest, t => t.NoIdToken)
            : !SameSecret(idToken.FindFirst("nonce")?.Value, pending.Nonce) ? (StatusCodes.Status400BadRequest, t => t.NonceMismatch)
            : !IsPartnerTenant(tenantId) ? (StatusCodes.Status403Forbidden, t => t.OtherTenant)
            : !IsPartnerTenant(homeTenantId) ? (StatusCodes.Status403Forbidden, t => t.Guest)
            : !Guid.TryParse(objectId, out _) ? (StatusCodes.Status400BadRequest, t => t.NoObjectId)
            : !settings.IsAllowedAdmin(objectId) ? (StatusCodes.Status403Forbidden, t => t.NotAllowedAdmin)
            : null;

        if (rejection is { } refused)
        {
            if (result.Account is not null)
            {
                await app.RemoveAsync(result.Account);
            }

            DelegatedLog.ConsentRejected(logger, objectId, tenantId, homeTenantId, refused.Reason(ConsentTexts.En));
            return Problem(texts, refused.Status, texts.Format(texts.NotSetUp, refused.Reason(texts)));
        }

        string homeAccountId = result.Account!.HomeAccountId.Identifier;
        DelegatedAccount? previous = await accounts.GetAsync(cancellationToken);
        var account = new DelegatedAccount(homeAccountId, objectId!, result.Account.Username, time.GetUtcNow());
        await accounts.SetAsync(account, cancellationToken);
        if (previous is not null && previous.HomeAccountId != homeAccountId)
        {
            await tokenCache.RemoveAsync(previous.HomeAccountId, cancellationToken);
            DelegatedLog.PreviousGrantRemoved(logger, previous.ObjectId);
        }

        DelegatedLog.ConsentCompleted(logger, account.Username, account.ObjectId, settings.Mode);
        return Results.Text(texts.Format(texts.Done, account.Username ?? account.ObjectId, settings.Mode), "text/plain; charset=utf-8");
    }

    private bool IsPartnerTenant(string? tenantId) => Guid.TryParse(tenantId, out Guid tenant) && tenant == registration.TenantId;

    /// <summary>Logs why (in English) and tells the reader (in their language) to start again.</summary>
    private IResult Refuse(ConsentTexts texts, int status, Func<ConsentTexts, string> reason)
    {
        DelegatedLog.ConsentCallbackRefused(logger, reason(ConsentTexts.En));
        return Problem(texts, status, reason(texts) + " " + texts.Format(texts.StartAgain, GraphConsentEndpoints.ConsentPath));
    }

    private static IResult Problem(ConsentTexts texts, int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: texts.Title);

    /// <summary>The pending consent in the cookie; null when it was not protected by this key ring or is not one.</summary>
    private PendingConsent? TryReadPending(string protectedValue)
    {
        try
        {
            return JsonSerializer.Deserialize(_cookieProtector.Unprotect(protectedValue), DelegatedJsonContext.Default.PendingConsent);
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    private static bool SameSecret(string? left, string? right) =>
        left is not null && right is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        // Lax: sent on the top-level GET back from Entra ID, not on cross-site subrequests or POSTs.
        SameSite = SameSiteMode.Lax,
        Path = context.Request.PathBase.Add(GraphConsentEndpoints.ConsentPath).Value,
        MaxAge = maxAge,
        IsEssential = true,
    };

    private static Uri DefaultRedirectUri(HttpRequest request) =>
        new($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{GraphConsentEndpoints.CallbackPath}");

    private static string RandomValue() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
