using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Hosting;

namespace TeamsAlertBot.Triage.Authorization;

/// <summary>Registers who may triage and mitigate, and the signing of card action data.</summary>
public static class TriageAuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ITriageAuthorizer"/> (<c>Triage:Authorization</c>) and <see cref="ActionSigner"/>
    /// (<c>Triage:ActionSigningKey</c>), both validated at start, and the Graph client of the
    /// membership check (app token for the <c>AzureAd</c> registration, sent to
    /// <c>Triage:Authorization:GraphBaseUrl</c> only). Needs the Bot Framework layer's
    /// <c>ConnectorClient</c> (<c>AddAlertBot</c>) for clicks that carry no <c>aadObjectId</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTriageAuthorization(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        services.AddOptions<TriageAuthorizationOptions>()
            .BindSettings(TriageAuthorizationOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TriageAuthorizationOptions>, TriageAuthorizationOptionsValidator>());
        services.AddOptions<ActionSigningOptions>()
            .BindSettings(ActionSigningOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActionSigningOptions>, ActionSigningOptionsValidator>());
        services.AddOptions<BotIdentity>().BindSettings(BotIdentity.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ActionSigner>();
        services.TryAddSingleton<TriageAuthorizer>();
        services.TryAddSingleton<ITriageAuthorizer>(sp => sp.GetRequiredService<TriageAuthorizer>());
        services.TryAddTransient<TriageGraphAuthenticationHandler>();

        // The typed client is held by the authorizer (a singleton), so the primary handler recycles its
        // own connections instead of relying on handler rotation. No retries: a click must be answered
        // within seconds, and a refused click says "try again". The authorizer owns the timeout.
        services.AddHttpClient<TriageGroupMembershipClient>(TriageGroupMembershipClient.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<TriageGraphAuthenticationHandler>();

        return builder;
    }
}
