using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TeamsAlertBot.BotFramework;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Graph;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Dashboard;

/// <summary>Registers the dashboard tab's API.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>Dashboard</c> options (validated at start), its token scheme (Entra tokens for the bot's
    /// app id from the partner tenant; in anonymous Development mode the local developer), the alert-change
    /// feed (Redis pub/sub when <c>Redis:ConnectionString</c> is set, else in this process), the
    /// time-to-verdict index (Redis or in memory), the read model and the security score client.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<DashboardOptions>()
            .BindSettings(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        bool authenticated = !string.IsNullOrWhiteSpace(builder.Configuration[$"{BotIdentity.SectionName}:ClientId"]);
        AuthenticationBuilder authentication = services.AddAuthentication();
        if (authenticated)
        {
            authentication.AddJwtBearer(DashboardAuthenticationDefaults.Scheme, _ => { });
            services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureDashboardJwtBearer>();
        }
        else
        {
            // Only reachable in anonymous mode, which the Bot Framework layer refuses outside Development.
            authentication.AddScheme<AuthenticationSchemeOptions, DashboardDevelopmentHandler>(DashboardAuthenticationDefaults.Scheme, _ => { });
        }

        services.AddAuthorizationBuilder().AddPolicy(DashboardAuthenticationDefaults.Policy, policy => policy
            .AddAuthenticationSchemes(DashboardAuthenticationDefaults.Scheme)
            .RequireAuthenticatedUser());

        bool hasRedis = !string.IsNullOrWhiteSpace(builder.Configuration[$"{RedisOptions.SectionName}:ConnectionString"]);
        if (hasRedis)
        {
            services.TryAddSingleton<IVerdictIndex, RedisVerdictIndex>();
        }
        else
        {
            services.TryAddSingleton<IVerdictIndex, InMemoryVerdictIndex>();
            services.TryAddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        }

        services.TryAddSingleton<AlertChangeFeed>();
        services.TryAddSingleton<IAlertChangeFeed>(sp => sp.GetRequiredService<AlertChangeFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<AlertChangeFeed>());
        services.TryAddSingleton<DashboardAlerts>();
        services.TryAddSingleton<DashboardScore>();
        // The Graph alert client's named pipeline: its token handler, origin pinning and resilience.
        services.AddHttpClient<SecurityScoreClient>(PartnerSecurityAlertClient.HttpClientName);
        return builder;
    }
}
