using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;

namespace TeamsAlertBot.Demo;

/// <summary>Registers the embedded demo partner tenant when <c>Demo:Enabled</c> is true.</summary>
public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// With <c>Demo:Enabled</c>: the demo tenant answers for Microsoft Graph's alert API and for Partner
    /// Center, its alerts keep arriving (where the alert pipeline runs), and every card carries the "DEMO
    /// DATA" marker. Call after the Graph and Partner Center clients are added (they then stay unused).
    /// Refused in Production.
    /// </summary>
    public static IHostApplicationBuilder AddDemoTenant(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!DemoOptions.IsEnabled(builder.Configuration))
        {
            return builder;
        }

        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                $"{DemoOptions.SectionName}:Enabled is true in the Production environment. The demo tenant serves made-up alerts and customers instead of Microsoft Graph and Partner Center; it is for trying the bot (the local launch profile, Development) only. Remove {DemoOptions.SectionName}:Enabled.");
        }

        IServiceCollection services = builder.Services;
        services.AddOptions<DemoOptions>()
            .BindConfiguration(DemoOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DemoTenant>();
        services.AddSingleton<IPartnerSecurityAlertClient, DemoAlertClient>();
        services.AddSingleton<IPartnerCenterClient, DemoPartnerCenter>();
        if (Alerts.AlertsServiceCollectionExtensions.PipelineRuns(builder.Configuration))
        {
            services.AddSingleton<DemoAlertFeed>();
            services.AddSingleton<Commands.ISubscriptionListener>(sp => sp.GetRequiredService<DemoAlertFeed>());
            services.AddHostedService(sp => sp.GetRequiredService<DemoAlertFeed>());
        }

        // First among the content resolvers, so every card is written with the marker.
        services.Insert(0, ServiceDescriptor.Singleton<IJsonTypeInfoResolver>(new DemoCardMarker()));
        return builder;
    }
}
