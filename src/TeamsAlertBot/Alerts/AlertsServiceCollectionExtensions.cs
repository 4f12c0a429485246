using Microsoft.Extensions.DependencyInjection.Extensions;
using TeamsAlertBot.Graph;
using TeamsAlertBot.PartnerCenter;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>Registers the alert pipeline: Graph client, Partner Center enrichment, poller and dispatcher.</summary>
public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pipeline. The background poller and dispatcher need Redis (Redis:ConnectionString) and
    /// run when the bot has an app identity (AzureAd:ClientId) unless Alerts:Enabled is false, or
    /// whenever Alerts:Enabled is true; otherwise the bot still answers commands and logs why alerts are off.
    /// </summary>
    public static IHostApplicationBuilder AddAlertPipeline(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<AlertPipelineOptions>()
            .BindConfiguration(AlertPipelineOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => TryFindTimeZone(o.DisplayTimeZone), $"{AlertPipelineOptions.SectionName}:DisplayTimeZone is not a known time zone id.")
            .ValidateOnStart();

        builder.AddPartnerSecurityGraph();
        builder.AddPartnerCenter();
        services.AddSingleton<IAlertSource, GraphAlertSource>();
        services.AddSingleton<IAlertContextProvider, PartnerCenterContextProvider>();

        IConfiguration config = builder.Configuration;
        bool hasIdentity = !string.IsNullOrWhiteSpace(config["AzureAd:ClientId"]);
        bool hasRedis = !string.IsNullOrWhiteSpace(config[$"{RedisOptions.SectionName}:ConnectionString"]);
        bool enabled = config.GetValue<bool?>($"{AlertPipelineOptions.SectionName}:Enabled") ?? true;
        if (PipelineRuns(config))
        {
            services.AddSingleton<AlertLedger>();
            services.AddSingleton<AlertWorkStreams>();
            services.AddSingleton<DeliveryLedger>();
            services.AddSingleton<WorkSignal>();
            services.AddSingleton<EpochGuard>();
            services.AddSingleton<ConversationDirectory>();
            services.AddSingleton<QueuedReplies>();
            services.AddSingleton<BotFramework.Hosting.IReplyOutbox>(sp => sp.GetRequiredService<QueuedReplies>());
            services.AddSingleton<DeadLetterNotices>();
            services.TryAddSingleton<Digest.SendOnceLedger>();
            services.AddSingleton<AlertPublisher>();
            services.AddSingleton<AlertPoller>();
            services.AddSingleton<AlertDispatcher>();
            services.AddSingleton<Backfill>();
            services.AddTransient<GraphMessagesAuthenticationHandler>();
            services.AddHttpClient<IDeliveryVerifier, GraphDeliveryVerifier>(GraphDeliveryVerifier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
                .AddHttpMessageHandler<GraphMessagesAuthenticationHandler>()
                .AddStandardResilienceHandler(resilience =>
                {
                    resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                    resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
                    resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(20);
                });
            services.AddSingleton<Triage.TriageLedger>();
            services.AddSingleton<Triage.MitigationLedger>();
            services.AddSingleton<Triage.TriageThreadReplies>();
            services.AddSingleton<Triage.ClickAlertReader>();
            services.AddSingleton<Triage.AlertClickGate>();
            services.AddSingleton<AlertCardRenderer>();
            services.AddSingleton<Triage.ITriageActionSigner, Triage.HmacTriageActionSigner>();
            services.AddSingleton<Triage.ITriageAccessCheck, Triage.AuthorizerAccessCheck>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.TriageActionHandler>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.RefreshActionHandler>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.MitigationActionHandler>();
            services.AddSingleton<Triage.Bulk.BulkTriageLedger>();
            services.AddSingleton<Triage.Bulk.BulkTriageRunner>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.Bulk.BulkActionHandler>();
            services.AddHostedService(sp => sp.GetRequiredService<Triage.Bulk.BulkTriageRunner>());
            services.AddOptions<Triage.Bulk.BulkTriageOptions>()
                .BindConfiguration(Triage.Bulk.BulkTriageOptions.SectionName)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            services.AddOptions<Triage.TriageOptions>()
                .BindConfiguration(Triage.TriageOptions.SectionName)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            services.AddSingleton<Webhooks.IFraudEventSink, PollOnFraudEvent>();
            services.AddSingleton<Commands.ISubscriptionListener>(sp => sp.GetRequiredService<Backfill>());
            services.AddSingleton<Bot.ICardActionHandler>(sp => sp.GetRequiredService<Backfill>());
            services.AddHostedService(sp => sp.GetRequiredService<AlertPoller>());
            services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        }
        else
        {
            services.AddSingleton<Webhooks.IFraudEventSink, AlertsOffFraudEventSink>();
            // Cards posted while the pipeline ran (or by another deployment) still carry its buttons.
            foreach (string verb in PipelineVerbs)
            {
                services.AddSingleton<Bot.ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<Bot.NotRunningActionHandler>(sp, verb));
            }

            services.AddHostedService(sp => new AlertsOffNotice(
                sp.GetRequiredService<ILogger<AlertsOffNotice>>(), hasIdentity, hasRedis, enabled));
        }

        return builder;
    }

    /// <summary>The verbs of the buttons the pipeline's handlers answer (triage, refresh, mitigation, backfill).</summary>
    private static readonly string[] PipelineVerbs =
    [
        Core.Triage.TriageActionData.TriageVerb,
        Core.Triage.RefreshActionData.RefreshVerb,
        Core.Triage.MitigationActionData.MitigateVerb,
        Core.Cards.AlertCards.BackfillPageVerb,
        Core.Triage.BulkActionData.BulkVerb,
    ];

    /// <summary>
    /// Whether the poller and dispatcher run with this configuration: on by default when the bot has an
    /// identity; Alerts:Enabled=true forces it on (e.g. with a delegated or test token source), false
    /// forces it off. Its state always needs Redis.
    /// </summary>
    public static bool PipelineRuns(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        bool hasIdentity = !string.IsNullOrWhiteSpace(config["AzureAd:ClientId"]);
        bool hasRedis = !string.IsNullOrWhiteSpace(config[$"{RedisOptions.SectionName}:ConnectionString"]);
        bool? configured = config.GetValue<bool?>($"{AlertPipelineOptions.SectionName}:Enabled");
        return hasRedis && (configured == true || (configured != false && hasIdentity));
    }

    internal static bool TryFindTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}

/// <summary>Says once, at start, why the alert pipeline is not running.</summary>
internal sealed partial class AlertsOffNotice(ILogger<AlertsOffNotice> logger, bool hasIdentity, bool hasRedis, bool enabled) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        string[] reasons =
        [
            .. enabled ? Array.Empty<string>() : ["Alerts:Enabled is false"],
            .. hasIdentity ? Array.Empty<string>() : ["AzureAd:ClientId is not set"],
            .. hasRedis ? Array.Empty<string>() : ["Redis:ConnectionString is not set"],
        ];
        LogOff(logger, string.Join("; ", reasons));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4300, LogLevel.Warning, "Partner security alerts are not polled: {Reasons}")]
    private static partial void LogOff(ILogger logger, string reasons);
}

/// <summary>A verified Partner Center fraud event: poll now instead of at the next tick.</summary>
internal sealed partial class PollOnFraudEvent(AlertPoller poller, ILogger<PollOnFraudEvent> logger) : Webhooks.IFraudEventSink
{
    public Task OnFraudEventAsync(Webhooks.FraudEvent fraudEvent, CancellationToken cancellationToken)
    {
        LogFraudEvent(logger, fraudEvent.EventName, fraudEvent.SubscriptionId);
        poller.RequestPoll();
        return Task.CompletedTask;
    }

    [LoggerMessage(4301, LogLevel.Information, "Partner Center event {EventName} for subscription {SubscriptionId}: polling now")]
    private static partial void LogFraudEvent(ILogger logger, string eventName, string? subscriptionId);
}

/// <summary>Accepts fraud events while alert polling is off, and says that nothing follows from them.</summary>
internal sealed partial class AlertsOffFraudEventSink(ILogger<AlertsOffFraudEventSink> logger) : Webhooks.IFraudEventSink
{
    public Task OnFraudEventAsync(Webhooks.FraudEvent fraudEvent, CancellationToken cancellationToken)
    {
        LogIgnored(logger, fraudEvent.EventName);
        return Task.CompletedTask;
    }

    [LoggerMessage(4302, LogLevel.Warning, "Partner Center event {EventName} received, but alert polling is off; nothing will be posted")]
    private static partial void LogIgnored(ILogger logger, string eventName);
}
