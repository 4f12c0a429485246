using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Attaches a Partner Center token to requests whose origin is exactly the configured base origin;
/// any other request leaves without one. The app's token (client credentials, cached by
/// Microsoft.Identity.Web) by default; the App+User token of the partner admin's grant
/// (<see cref="IPartnerCenterUserTokens"/>) for requests marked <see cref="PartnerCenterUserAccessOption.Required"/>
/// or, with <c>PartnerCenter:UserAccess</c> Always, for every request. Sits inside the retry
/// pipeline, so every attempt carries a current token.
/// </summary>
internal sealed class PartnerCenterAuthenticationHandler(IOptions<PartnerCenterOptions> options, IServiceProvider services)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        PartnerCenterOptions settings = options.Value;
        if (request.RequestUri is { IsAbsoluteUri: true } uri && IsBaseOrigin(uri, settings.BaseUri))
        {
            request.Headers.Authorization = NeedsUser(request, settings)
                ? await UserAuthorizationAsync(settings, cancellationToken)
                : await AppAuthorizationAsync(settings, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<AuthenticationHeaderValue> AppAuthorizationAsync(PartnerCenterOptions settings, CancellationToken cancellationToken)
    {
        // Resolved lazily: without AzureAd credentials the host registers no token acquisition,
        // and then Partner Center calls fail (softly, for enrichment) instead of the host.
        IAuthorizationHeaderProvider provider = services.GetService<IAuthorizationHeaderProvider>()
            ?? throw new Operations.NotConfiguredException("Partner Center", Operations.NotConfiguredException.AppRegistrationSettings);
        string header = await provider.CreateAuthorizationHeaderForAppAsync(
            settings.Scope,
            new AuthorizationHeaderProviderOptions
            {
                AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = settings.AuthenticationOptionsName },
            },
            cancellationToken);
        return AuthenticationHeaderValue.Parse(header);
    }

    /// <summary>
    /// The admin's App+User token. No fallback to the app token: Partner Center refuses it for these
    /// operations anyway, and "a partner admin must consent" is the answer the reader can act on.
    /// </summary>
    private Task<AuthenticationHeaderValue> UserAuthorizationAsync(PartnerCenterOptions settings, CancellationToken cancellationToken)
    {
        IPartnerCenterUserTokens? users = services.GetService<IPartnerCenterUserTokens>();
        if (users is null || string.IsNullOrWhiteSpace(settings.UserScope))
        {
            throw new Operations.NotConfiguredException(
                "Partner Center (App+User)", [$"{PartnerCenterOptions.SectionName}:UserScope", "Graph:Delegated:Enabled", "Graph:Delegated:AllowedAdminObjectIds"]);
        }

        return users.GetAuthorizationAsync(settings.UserScope, cancellationToken);
    }

    private static bool NeedsUser(HttpRequestMessage request, PartnerCenterOptions settings) =>
        settings.UserAccess == PartnerCenterUserAccess.Always
        || (request.Options.TryGetValue(PartnerCenterUserAccessOption.Required, out bool required) && required);

    /// <summary>Same scheme, host and port; user info never counts as the same origin.</summary>
    internal static bool IsBaseOrigin(Uri uri, Uri baseUri) =>
        string.IsNullOrEmpty(uri.UserInfo)
        && Uri.Compare(uri, baseUri, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
