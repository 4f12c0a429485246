using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.Webhooks;

/// <summary>Registers and maps the Partner Center webhook receiver.</summary>
public static class PartnerCenterWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the receiver: options (<c>PartnerCenter:Webhook</c>, validated at start), the signature
    /// verifier and its no-redirect certificate client, the system trust, and an in-memory
    /// <see cref="IWebhookDeduplicator"/> unless one is registered. The alert pipeline registers
    /// the <see cref="IFraudEventSink"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPartnerCenterWebhook(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<PartnerCenterWebhookOptions>()
            .BindSettings(PartnerCenterWebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PartnerCenterWebhookOptions>, PartnerCenterWebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookCertificateTrust, SystemWebhookCertificateTrust>();
        services.TryAddSingleton<IWebhookDeduplicator, InMemoryWebhookDeduplicator>();
        services.TryAddSingleton<WebhookCertificateUrlPolicy>();
        services.TryAddSingleton<WebhookSignatureVerifier>();
        services.TryAddTransient<PartnerCenterWebhookEndpoint>();

        // The verifier (a singleton) keeps its typed client, so the primary handler recycles its
        // own connections. Redirects are never followed: the allow-list applies to the URL the
        // sender named, and a 3xx from there must not lead anywhere else.
        services.AddHttpClient<WebhookCertificateClient>(WebhookCertificateClient.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                PartnerCenterWebhookOptions settings = sp.GetRequiredService<IOptions<PartnerCenterWebhookOptions>>().Value;
                client.Timeout = settings.CertificateFetchTimeout;
                client.MaxResponseContentBufferSize = settings.MaxCertificateBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return builder;
    }

    /// <summary>
    /// Maps <c>POST {pattern}</c> (default <c>/api/partnercenter/webhook</c>). Anonymous at the
    /// HTTP level: the body's signature is the authentication.
    /// </summary>
    /// <exception cref="InvalidOperationException">No <see cref="IFraudEventSink"/> is registered.</exception>
    public static IEndpointConventionBuilder MapPartnerCenterWebhook(this IEndpointRouteBuilder endpoints, string pattern = "/api/partnercenter/webhook")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProviderIsService registered = endpoints.ServiceProvider.GetRequiredService<IServiceProviderIsService>();
        if (!registered.IsService(typeof(PartnerCenterWebhookEndpoint)))
        {
            throw new InvalidOperationException("Call builder.AddPartnerCenterWebhook() before mapping the Partner Center webhook.");
        }

        if (!registered.IsService(typeof(IFraudEventSink)))
        {
            throw new InvalidOperationException(
                "No IFraudEventSink is registered: authenticated fraud events would have nowhere to go. Register the alert pipeline's sink before mapping the Partner Center webhook.");
        }

        return endpoints.MapPost(pattern, (HttpContext context, PartnerCenterWebhookEndpoint endpoint) => endpoint.HandleAsync(context))
            .DisableAntiforgery()
            .AllowAnonymous()
            .WithName("PartnerCenterWebhook");
    }
}
