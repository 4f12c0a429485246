using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework.Diagnostics;

namespace TeamsAlertBot.BotFramework.Connector;

/// <summary>
/// Attaches the bot's app token (client credentials, cached by Microsoft.Identity.Web) to connector
/// calls — only to allow-listed HTTPS origins. Anything else is refused before a byte leaves.
/// In anonymous mode no token exists and none is attached. Being the innermost connector handler, it
/// also counts every attempt Teams throttles (429).
/// </summary>
internal sealed class ConnectorAuthenticationHandler(
    ServiceUrlPolicy policy,
    IOptions<BotIdentity> identity,
    IOptions<BotFrameworkOptions> options,
    IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri ?? throw new InvalidOperationException("A connector request needs a URL.");
        if (!policy.IsAllowed(uri))
        {
            throw new ServiceUrlNotAllowedException($"The service URL host '{uri.Host}' is not in Bot:AllowedServiceUrls; no request was sent.");
        }

        request.Headers.Authorization = null;
        if (identity.Value.IsConfigured)
        {
            if (!policy.MayCarryToken(uri))
            {
                throw new ServiceUrlNotAllowedException($"The bot never sends its token over plain HTTP ('{uri.Host}').");
            }

            // Resolved lazily: anonymous mode registers no token acquisition at all.
            IAuthorizationHeaderProvider provider = (IAuthorizationHeaderProvider)services.GetService(typeof(IAuthorizationHeaderProvider))!;
            string header = await provider.CreateAuthorizationHeaderForAppAsync(
                options.Value.ConnectorScope,
                new AuthorizationHeaderProviderOptions
                {
                    AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = BotIdentity.SectionName },
                },
                cancellationToken);
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            // Each attempt Teams throttles counts (this handler runs inside the retries).
            BotTelemetry.SendsThrottled.Add(1, BotTelemetry.Throttled429);
        }

        return response;
    }
}
