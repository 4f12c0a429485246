using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Graph.Delegated;

/// <summary>Registers delegated Graph access through the secure application model.</summary>
public static class GraphDelegatedServiceCollectionExtensions
{
    /// <summary>
    /// Adds the consent flow's services (see <see cref="GraphConsentEndpoints.MapGraphDelegatedConsent"/>),
    /// the encrypted distributed token cache and, per <c>Graph:Delegated:Mode</c>, the Graph token source:
    /// <c>Off</c> leaves the app-only source, <c>Always</c> uses the admin's delegated grant, <c>Fallback</c>
    /// uses app-only until Graph answers <c>Unauthorized_MissingMFA</c>, then delegated for
    /// <c>Graph:Delegated:RetryAppOnlyAfter</c>. Call it before <c>AddPartnerSecurityGraph</c> (so before
    /// <c>AddAlertPipeline</c>): its token source and its outermost Graph handler must come first.
    /// Needs an <c>IDistributedCache</c> (<c>AddStateStore</c>) and, with Redis, the Data Protection key
    /// ring persisted where every instance reads it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called after the Graph client was registered.</exception>
    public static IHostApplicationBuilder AddGraphDelegatedAccess(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IGraphTokenSource) && !d.IsKeyedService))
        {
            throw new InvalidOperationException(
                "AddGraphDelegatedAccess must be called before AddPartnerSecurityGraph (AddAlertPipeline): a Graph token source is already registered, and the delegated one would not be used.");
        }

        services.AddOptions<GraphDelegatedOptions>()
            .BindSettings(GraphDelegatedOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphDelegatedOptions>, GraphDelegatedOptionsValidator>();
        services.AddOptions<MicrosoftIdentityApplicationOptions>(DelegatedAppRegistration.OptionsName)
            .BindSettings(BotIdentity.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        // One window for every visitor of the consent endpoints: they serve one admin, a few times a year.
        services.AddRateLimiter(limiter => limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GraphDelegatedOptions>>((limiter, delegated) =>
            limiter.AddPolicy(GraphConsentEndpoints.RateLimitPolicy, _ => RateLimitPartition.GetFixedWindowLimiter(
                GraphConsentEndpoints.RateLimitPolicy,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = delegated.Value.ConsentRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })));
        services.AddHttpClient(DelegatedClientApplications.HttpClientName);
        services.AddSingleton<DelegatedAppRegistration>();
        services.AddSingleton<DelegatedTokenCache>();
        services.AddSingleton<DelegatedAccountStore>();
        services.AddSingleton<DelegatedClientApplications>();
        services.AddSingleton<AdminGrantTokens>();
        services.AddSingleton<PartnerCenter.IPartnerCenterUserTokens>(sp => sp.GetRequiredService<AdminGrantTokens>());
        services.AddSingleton<DelegatedGraphTokenSource>();
        services.AddSingleton<GraphConsentFlow>();
        services.AddKeyedSingleton<IGraphTokenSource>(GraphAccessKind.Delegated, (sp, _) => sp.GetRequiredService<DelegatedGraphTokenSource>());
        services.AddKeyedSingleton<IGraphTokenSource>(GraphAccessKind.Application, (sp, _) => ActivatorUtilities.CreateInstance<AppGraphTokenSource>(sp));

        IConfiguration configuration = builder.Configuration;
        GraphDelegatedMode mode = configuration.GetValue($"{GraphDelegatedOptions.SectionName}:{nameof(GraphDelegatedOptions.Mode)}", GraphDelegatedMode.Off);
        bool enabled = configuration.GetValue($"{GraphDelegatedOptions.SectionName}:{nameof(GraphDelegatedOptions.Enabled)}", false);
        bool redis = !string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.SectionName}:ConnectionString"]);
        if (redis && (enabled || mode != GraphDelegatedMode.Off))
        {
            // Tokens written by one instance must be readable by the others and after a restart.
            services.AddOptions<KeyManagementOptions>()
                .Validate(
                    o => o.XmlRepository is not null,
                    $"{GraphDelegatedOptions.SectionName} keeps the admin's tokens in Redis encrypted with ASP.NET Core Data Protection, but the key ring is not persisted (KeyManagementOptions.XmlRepository is not set): persist it to Redis (PersistKeysToStackExchangeRedis) so every instance can decrypt them.")
                .ValidateOnStart();
        }

        switch (mode)
        {
            case GraphDelegatedMode.Always:
                services.AddSingleton(sp => sp.GetRequiredKeyedService<IGraphTokenSource>(GraphAccessKind.Delegated));
                break;
            case GraphDelegatedMode.Fallback:
                services.AddSingleton(sp => new FallbackGraphTokenSource(
                    sp.GetRequiredKeyedService<IGraphTokenSource>(GraphAccessKind.Application),
                    sp.GetRequiredKeyedService<IGraphTokenSource>(GraphAccessKind.Delegated),
                    sp.GetRequiredService<IOptionsMonitor<GraphDelegatedOptions>>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<FallbackGraphTokenSource>>()));
                services.AddSingleton<IGraphTokenSource>(sp => sp.GetRequiredService<FallbackGraphTokenSource>());
                services.AddTransient<GraphMfaFallbackHandler>();
                // Registered before AddPartnerSecurityGraph adds its handlers, so it is the outermost one.
                services.AddHttpClient(PartnerSecurityAlertClient.HttpClientName).AddHttpMessageHandler<GraphMfaFallbackHandler>();
                break;
            default:
                break;
        }

        return builder;
    }
}
