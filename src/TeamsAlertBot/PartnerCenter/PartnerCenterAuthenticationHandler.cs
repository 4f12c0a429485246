using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>
/// Attaches the app's Partner Center token (client credentials, cached by Microsoft.Identity.Web)
/// to requests whose origin is exactly the configured base origin; any other request leaves without
/// one. Sits inside the retry pipeline, so every attempt carries a current token.
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
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Same scheme, host and port; user info never counts as the same origin.</summary>
    internal static bool IsBaseOrigin(Uri uri, Uri baseUri) =>
        string.IsNullOrEmpty(uri.UserInfo)
        && Uri.Compare(uri, baseUri, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
