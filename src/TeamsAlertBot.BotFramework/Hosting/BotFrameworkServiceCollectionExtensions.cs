using System.Net;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.TokenCacheProviders.InMemory;
using Polly;
using Polly.Timeout;
using TeamsAlertBot.BotFramework.Authentication;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.BotFramework.Schema;

namespace TeamsAlertBot.BotFramework.Hosting;

/// <summary>Registers and maps the Bot Framework protocol layer.</summary>
public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Adds inbound token validation, the connector client (app token, allow-list, retries,
    /// Teams' rate limits) and the messaging endpoint's services. <typeparamref name="TBot"/> handles turns.
    /// </summary>
    public static IHostApplicationBuilder AddBotFramework<TBot>(this IHostApplicationBuilder builder)
        where TBot : class, IBot
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        services.AddOptions<BotFrameworkOptions>()
            .BindSettings(BotFrameworkOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<BotIdentity>().BindSettings(BotIdentity.SectionName);
        services.AddSingleton<IValidateOptions<BotFrameworkOptions>, BotModeValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<ActivityAuthorizer>();
        services.AddSingleton(sp => new BotJsonOptions(sp.GetServices<IJsonTypeInfoResolver>()));
        services.AddSingleton<IBot, TBot>();
        services.AddSingleton<BotEndpoint>();

        bool authenticated = !string.IsNullOrWhiteSpace(builder.Configuration[$"{BotIdentity.SectionName}:ClientId"]);
        AuthenticationBuilder authentication = services.AddAuthentication();
        if (authenticated)
        {
            authentication.AddJwtBearer(BotAuthenticationDefaults.Scheme, _ => { });
            services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureBotJwtBearer>();
            services.AddAuthorizationBuilder().AddPolicy(BotAuthenticationDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(BotAuthenticationDefaults.Scheme)
                .RequireAuthenticatedUser());

            // App tokens for the connector: client secret, certificate or managed identity, as the
            // AzureAd section's ClientCredentials say; cached in memory by MSAL.
            services.AddTokenAcquisition(isTokenAcquisitionSingleton: true);
            services.AddInMemoryTokenCaches();
            services.AddHttpClient();
            // MSAL's requests go through one named client that answers instance discovery for a
            // non-Microsoft authority itself, so no request reaches a host no setting names.
            services.AddTransient<EntraInstanceDiscoveryHandler>();
            services.AddHttpClient(EntraHttpClientFactory.HttpClientName).AddHttpMessageHandler<EntraInstanceDiscoveryHandler>();
            services.AddSingleton<Microsoft.Identity.Client.IMsalHttpClientFactory, EntraHttpClientFactory>();
            services.Configure<MicrosoftIdentityApplicationOptions>(
                BotIdentity.SectionName, builder.Configuration.GetSection(BotIdentity.SectionName));
        }
        else
        {
            services.AddAuthorization();
        }

        services.AddTransient<ConnectorAuthenticationHandler>();
        services.AddTransient<ConnectorRateLimitHandler>();
        services.AddHttpClient<ConnectorClient>(ConnectorClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<ConnectorRateLimitHandler>()
            .AddResilienceHandler("connector", ConfigureConnectorResilience);
        services.AddHttpClient(ConnectorClient.HttpClientName)
            .AddHttpMessageHandler<ConnectorAuthenticationHandler>();

        return builder;
    }

    /// <summary>Maps <c>POST {pattern}</c> (default <c>/api/messages</c>) to the bot.</summary>
    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteHandlerBuilder route = endpoints.MapPost(pattern, (HttpContext context, BotEndpoint endpoint) => endpoint.HandleAsync(context))
            .DisableAntiforgery()
            .WithName("BotMessages");

        BotIdentity identity = endpoints.ServiceProvider.GetRequiredService<IOptions<BotIdentity>>().Value;
        if (identity.IsConfigured)
        {
            route.RequireAuthorization(BotAuthenticationDefaults.Policy);
        }
        else
        {
            ILogger logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<BotEndpoint>();
            BotLog.AnonymousMode(logger);
        }

        return route;
    }

    /// <summary>
    /// Timeouts and retries of connector calls. Teams asks for retries on 429 (after Retry-After), 412,
    /// 502, 503 and 504 with exponential backoff and jitter. A POST (a new message) is retried only
    /// when it certainly was not delivered — 429, 412, or no connection — because the connector takes
    /// no idempotency key: after a timeout, a dropped connection or a 5xx the message may be there, and
    /// the caller decides (see <see cref="DeliveryFailures"/>). Edits, deletes and reads are safe to repeat.
    /// There is no circuit breaker: one conversation that fails must not stop the others.
    /// </summary>
    private static void ConfigureConnectorResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(90));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(20),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(15));
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        bool repeatable = method is not null && method != HttpMethod.Post;
        if (outcome.Result is { } response)
        {
            return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
                || (repeatable && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
        }

        return outcome.Exception switch
        {
            HttpRequestException e when DeliveryFailures.Classify(e) == DeliveryOutcome.NotDelivered => true,
            HttpRequestException or TimeoutRejectedException => repeatable,
            _ => false,
        };
    }
}

/// <summary>
/// Refuses unsafe modes at start-up: anonymous mode outside Development or beside an app id, and a
/// start without an app id outside anonymous mode.
/// </summary>
internal sealed class BotModeValidator(IHostEnvironment environment, IOptions<BotIdentity> identity)
    : IValidateOptions<BotFrameworkOptions>
{
    public ValidateOptionsResult Validate(string? name, BotFrameworkOptions options)
    {
        bool configured = identity.Value.IsConfigured;
        if (options.AllowAnonymous && !environment.IsDevelopment())
        {
            // Staging, Test and the like face real traffic too: only a developer's machine runs without a token.
            return ValidateOptionsResult.Fail(
                $"Bot:AllowAnonymous is refused in the {environment.EnvironmentName} environment: it accepts activities without a token. It is meant for the Agents Playground in Development only.");
        }

        if (options.AllowAnonymous && configured)
        {
            return ValidateOptionsResult.Fail("Bot:AllowAnonymous cannot be combined with AzureAd:ClientId; remove one.");
        }

        if (!configured && !options.AllowAnonymous)
        {
            return ValidateOptionsResult.Fail(
                "AzureAd:ClientId (the bot's app id) is not set. Set AzureAd:ClientId, AzureAd:TenantId and a credential, or, on a developer machine, Bot:AllowAnonymous=true.");
        }

        if (configured && string.IsNullOrWhiteSpace(identity.Value.TenantId))
        {
            return ValidateOptionsResult.Fail("AzureAd:TenantId is required: the bot is a single-tenant app registration.");
        }

        return ValidateOptionsResult.Success;
    }
}
