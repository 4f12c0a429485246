using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>
/// Attaches an app-only Graph token (the bot's registration, the <c>AzureAd</c> options), and only
/// to the origin of <see cref="TriageAuthorizationOptions.GraphBaseUrl"/>: a request anywhere else
/// is refused before a token is fetched or a byte is sent. Deliberately separate from the partner
/// alert client's handler, whose token source may be a partner admin's delegated grant: membership
/// is always read with the app's own identity.
/// </summary>
internal sealed class TriageGraphAuthenticationHandler(
    IServiceProvider services,
    IOptions<TriageAuthorizationOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        TriageAuthorizationOptions settings = options.Value;
        Uri? uri = request.RequestUri;
        if (uri is null || !settings.IsGraphOrigin(uri))
        {
            throw new TriageGraphOriginRefusedException(
                $"Refused to send a membership request to {(uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Authority) : "a relative URL")}: the Graph token goes to {settings.GraphBaseUrl.GetLeftPart(UriPartial.Authority)} ({TriageAuthorizationOptions.SectionName}:GraphBaseUrl) only. No request was sent.");
        }

        // Resolved per request: token acquisition exists only when AzureAd:ClientId is set, and the
        // options validator insists on it only when a group is configured.
        IAuthorizationHeaderProvider tokens = services.GetService<IAuthorizationHeaderProvider>()
            ?? throw new InvalidOperationException(
                $"The triage group check needs the bot's app registration: set {BotIdentity.SectionName}:ClientId, {BotIdentity.SectionName}:TenantId and a credential, and grant the app GroupMember.Read.All.");
        string header = await tokens.CreateAuthorizationHeaderForAppAsync(
            settings.GraphScope,
            new AuthorizationHeaderProviderOptions
            {
                AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = BotIdentity.SectionName },
            },
            cancellationToken);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>A membership request was about to leave for an origin other than the configured Graph.</summary>
public sealed class TriageGraphOriginRefusedException : InvalidOperationException
{
    public TriageGraphOriginRefusedException()
    {
    }

    public TriageGraphOriginRefusedException(string message)
        : base(message)
    {
    }

    public TriageGraphOriginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
