using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.Graph;

/// <summary>Registers the Microsoft Graph partner security alert client.</summary>
public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PartnerSecurityAlertClient"/> with its options (<c>Graph</c> section, checked at
    /// start), the app-only <see cref="IGraphTokenSource"/> (unless one is already registered) and the
    /// handler chain: resilience (outermost) → token, for the Graph origin only → <c>client-request-id</c>
    /// and failure logging. App tokens come from the token acquisition the host registers for the
    /// <c>AzureAd</c> section when <c>AzureAd:ClientId</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddPartnerSecurityGraph(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        services.AddOptions<GraphOptions>()
            .BindSettings(GraphOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGraphTokenSource, AppGraphTokenSource>();
        services.TryAddSingleton(_ => new GraphFilterSupport());
        services.AddTransient<GraphAuthenticationHandler>();
        services.AddTransient<GraphDiagnosticsHandler>();

        IHttpClientBuilder http = services.AddHttpClient<PartnerSecurityAlertClient>(
            PartnerSecurityAlertClient.HttpClientName,
            // The resilience handler owns the timeouts (per attempt and per call).
            client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddStandardResilienceHandler().Configure(GraphResilience.Configure);
        services.TryAddSingleton<Operations.ServiceCalls>();
        http.AddHttpMessageHandler<GraphAuthenticationHandler>()
            .AddHttpMessageHandler<GraphDiagnosticsHandler>()
            .AddHttpMessageHandler(sp => new Operations.ServiceCallRecorder(sp.GetRequiredService<Operations.ServiceCalls>(), Operations.ServiceCalls.Graph));

        // The demo tenant registers its own alert API first; otherwise every caller gets Graph.
        services.TryAddTransient<IPartnerSecurityAlertClient>(sp => sp.GetRequiredService<PartnerSecurityAlertClient>());
        return builder;
    }
}
