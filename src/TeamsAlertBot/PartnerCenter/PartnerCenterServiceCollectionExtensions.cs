using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.PartnerCenter;

/// <summary>Registers the Partner Center REST clients and alert enrichment.</summary>
public static class PartnerCenterServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PartnerCenterClient"/>, <see cref="WebhookRegistrationClient"/> and
    /// <see cref="IAlertEnricher"/>, with the <c>PartnerCenter</c> options validated at start.
    /// The host must register an <c>IDistributedCache</c> (Redis or in-memory) and, for tokens,
    /// Microsoft.Identity.Web's token acquisition (the bot layer does when <c>AzureAd:ClientId</c> is set).
    /// </summary>
    public static IHostApplicationBuilder AddPartnerCenter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(PartnerCenterMarker)))
        {
            // Called by more than one feature (the alert pipeline, the host): a second set of
            // handlers would retry every retry.
            return builder;
        }

        services.AddSingleton<PartnerCenterMarker>();
        services.AddOptions<PartnerCenterOptions>()
            .BindSettings(PartnerCenterOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PartnerCenterOptions>, PartnerCenterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<PartnerCenterAuthenticationHandler>();

        // Handlers run outermost first: retries and timeouts wrap the token handler, so each attempt
        // carries a current token. The typed clients are held by singletons (the enricher), so the
        // primary handler recycles its connections itself instead of relying on handler rotation.
        IHttpClientBuilder http = services.AddHttpClient(PartnerCenterClient.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                PartnerCenterOptions settings = sp.GetRequiredService<IOptions<PartnerCenterOptions>>().Value;
                client.BaseAddress = settings.BaseUri;
                client.DefaultRequestHeaders.Add(PartnerCenterRequestSender.ApplicationHeader, settings.ApplicationName);
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
                client.MaxResponseContentBufferSize = 16 * 1024 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        http.AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
                ConfigureResilience(resilience, sp.GetRequiredService<IOptions<PartnerCenterOptions>>().Value));
        http.AddHttpMessageHandler<PartnerCenterAuthenticationHandler>();
        services.TryAddSingleton<Operations.ServiceCalls>();
        http.AddHttpMessageHandler(sp => new Operations.ServiceCallRecorder(sp.GetRequiredService<Operations.ServiceCalls>(), Operations.ServiceCalls.PartnerCenter));

        services.AddHttpClient<PartnerCenterClient>(PartnerCenterClient.HttpClientName);
        services.TryAddTransient<IPartnerCenterClient>(sp => sp.GetRequiredService<PartnerCenterClient>());
        services.AddHttpClient<WebhookRegistrationClient>(PartnerCenterClient.HttpClientName);
        services.TryAddSingleton<IAlertEnricher, AlertEnricher>();
        return builder;
    }

    /// <summary>
    /// Partner Center asks callers to wait out 429s (Retry-After) and back off exponentially. Only
    /// GETs are retried, on 408, 429, 5xx, timeouts and transport errors; a POST or PUT that may
    /// have landed is never repeated behind the caller's back.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions resilience, PartnerCenterOptions settings)
    {
        resilience.Retry.MaxRetryAttempts = settings.MaxRetryAttempts;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.Delay = settings.RetryDelay;
        resilience.Retry.MaxDelay = TimeSpan.FromMinutes(1);
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Exception is HttpRequestException or TimeoutRejectedException
            || args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || (int?)args.Outcome.Result?.StatusCode >= 500);
        resilience.Retry.DisableForUnsafeHttpMethods();
        resilience.AttemptTimeout.Timeout = settings.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = settings.TotalRequestTimeout;
        TimeSpan sampling = settings.AttemptTimeout * 2;
        resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(60) ? sampling : TimeSpan.FromSeconds(60);
    }

    /// <summary>Marks the service collection once <see cref="AddPartnerCenter"/> has run.</summary>
    private sealed class PartnerCenterMarker;
}
