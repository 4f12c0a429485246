using Microsoft.Extensions.DependencyInjection.Extensions;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Commands;
using TeamsAlertBot.Sla;

namespace TeamsAlertBot.Digest;

/// <summary>Registers the daily summary, the <c>summary</c> command and the SLA reminders.</summary>
public static class DigestServiceCollectionExtensions
{
    /// <summary>
    /// Adds them where the alert pipeline runs (see <see cref="AlertsServiceCollectionExtensions.PipelineRuns"/>):
    /// the summary unless Digest:Enabled is false, the reminders unless Sla:Enabled is false. Elsewhere the
    /// <c>summary</c> command explains why it cannot answer.
    /// </summary>
    public static IHostApplicationBuilder AddDigestAndSla(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        IConfiguration config = builder.Configuration;
        services.AddOptions<DigestOptions>()
            .BindSettings(DigestOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.TimeZone) || AlertsServiceCollectionExtensions.TryFindTimeZone(o.TimeZone),
                $"{DigestOptions.SectionName}:TimeZone is not a known time zone id.")
            .ValidateOnStart();
        services.AddOptions<SlaOptions>()
            .BindSettings(SlaOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Problem() is null, $"{SlaOptions.SectionName}: invalid reminder thresholds or contacts (each needs an Id and a Name; every ReminderAfter is positive and shorter than EscalateAfter).")
            .ValidateOnStart();
        // Tests replace this keyed clock to drive the schedules; production uses the host's clock.
        services.TryAddKeyedSingleton<TimeProvider>(ScheduleClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());

        if (!AlertsServiceCollectionExtensions.PipelineRuns(config))
        {
            services.AddSingleton<IBotCommand, SummaryUnavailableCommand>();
            return builder;
        }

        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<IBotCommand, SummaryCommand>();
        if (config.GetValue<bool?>($"{DigestOptions.SectionName}:Enabled") != false)
        {
            services.AddSingleton<DigestScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<DigestScheduler>());
        }

        if (config.GetValue<bool?>($"{SlaOptions.SectionName}:Enabled") != false)
        {
            services.AddSingleton<SlaMonitor>();
            services.AddHostedService(sp => sp.GetRequiredService<SlaMonitor>());
        }

        return builder;
    }
}
