using Microsoft.Extensions.DependencyInjection.Extensions;
using TeamsAlertBot.BotFramework.Hosting;
using TeamsAlertBot.Demo;
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
            .BindSettings(AlertPipelineOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => TryFindTimeZone(o.DisplayTimeZone), $"{AlertPipelineOptions.SectionName}:DisplayTimeZone is not a known time zone id.")
            .ValidateOnStart();

        builder.AddPartnerSecurityGraph();
        builder.AddPartnerCenter();
        services.AddSingleton<IAlertSource, GraphAlertSource>();
        services.AddSingleton<IAlertContextProvider, PartnerCenterContextProvider>();

        AlertPipelineState state = AlertPipelineState.From(builder.Configuration);
        services.AddSingleton(state);
        if (state.Runs)
        {
            AddPipelineState(services, state.HasRedis);
            services.AddSingleton<WorkSignal>();
            services.AddSingleton<EpochGuard>();
            services.AddSingleton<ConversationDirectory>();
            services.AddSingleton<QueuedReplies>();
            services.AddSingleton<BotFramework.Hosting.IReplyOutbox>(sp => sp.GetRequiredService<QueuedReplies>());
            services.AddSingleton<DeadLetterNotices>();
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
            services.AddSingleton<Triage.TriageThreadReplies>();
            services.AddSingleton<Triage.ClickAlertReader>();
            services.AddSingleton<Triage.AlertClickGate>();
            services.AddSingleton<AlertCardRenderer>();
            services.AddSingleton<Triage.ITriageActionSigner, Triage.HmacTriageActionSigner>();
            services.AddSingleton<Triage.ITriageAccessCheck, Triage.AuthorizerAccessCheck>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.TriageActionHandler>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.RefreshActionHandler>();
            services.AddSingleton<Bot.ICardActionHandler, Triage.MitigationActionHandler>();
            if (state.HasRedis)
            {
                // Bulk runs are claimed and resumed through Redis (one run per deployment, across instances).
                services.AddSingleton<Triage.Bulk.BulkTriageLedger>();
                services.AddSingleton<Triage.Bulk.BulkTriageRunner>();
                services.AddSingleton<Triage.Bulk.BulkTriageService>();
                services.AddSingleton<Bot.ICardActionHandler, Triage.Bulk.BulkActionHandler>();
                services.AddHostedService(sp => sp.GetRequiredService<Triage.Bulk.BulkTriageRunner>());
                services.AddOptions<Triage.Bulk.BulkTriageOptions>()
                    .BindSettings(Triage.Bulk.BulkTriageOptions.SectionName)
                    .ValidateDataAnnotations()
                    .ValidateOnStart();
            }
            else
            {
                // Triage runs here (in memory), so "not running" would be untrue: say what bulk runs need.
                services.AddSingleton<Bot.ICardActionHandler>(sp => new Bot.NotRunningActionHandler(
                    Core.Triage.BulkActionData.BulkVerb, sp.GetRequiredService<ILogger<Bot.NotRunningActionHandler>>(), texts => texts.BulkNeedsRedis));
            }
            services.AddOptions<Triage.TriageOptions>()
                .BindSettings(Triage.TriageOptions.SectionName)
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

            services.AddHostedService<AlertsOffNotice>();
        }

        // Last: the demo tenant replaces the Graph and Partner Center clients, and its feed follows the backfill.
        builder.AddDemoTenant();
        return builder;
    }

    /// <summary>
    /// The pipeline's ledgers: in Redis (shared by every instance) when Redis:ConnectionString is set,
    /// otherwise their in-memory twins (one instance only; the start-up log says so).
    /// </summary>
    internal static void AddPipelineState(IServiceCollection services, bool hasRedis)
    {
        if (hasRedis)
        {
            services.TryAddSingleton<IAlertLedger, RedisAlertLedger>();
            services.TryAddSingleton<IAlertWorkStreams, RedisAlertWorkStreams>();
            services.TryAddSingleton<IDeliveryLedger, RedisDeliveryLedger>();
            services.TryAddSingleton<Triage.ITriageLedger, Triage.RedisTriageLedger>();
            services.TryAddSingleton<Triage.IMitigationLedger, Triage.RedisMitigationLedger>();
            services.TryAddSingleton<Digest.ISendOnceLedger, Digest.RedisSendOnceLedger>();
            return;
        }

        services.TryAddSingleton<InMemoryKeyspace>();
        services.TryAddSingleton(sp => new RedisKeys(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value.KeyPrefix));
        services.TryAddSingleton<IAlertLedger, InMemoryAlertLedger>();
        services.TryAddSingleton<IAlertWorkStreams, InMemoryAlertWorkStreams>();
        services.TryAddSingleton<IDeliveryLedger, InMemoryDeliveryLedger>();
        services.TryAddSingleton<Triage.ITriageLedger, Triage.InMemoryTriageLedger>();
        services.TryAddSingleton<Triage.IMitigationLedger, Triage.InMemoryMitigationLedger>();
        services.TryAddSingleton<Digest.ISendOnceLedger, Digest.InMemorySendOnceLedger>();
        if (!services.Any(d => d.ImplementationType == typeof(InMemoryStateNotice)))
        {
            services.AddHostedService<InMemoryStateNotice>();
        }
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

    /// <summary>Whether the poller and dispatcher run with this configuration (see <see cref="AlertPipelineState.From"/>).</summary>
    public static bool PipelineRuns(IConfiguration config) => AlertPipelineState.From(config).Runs;

    internal static bool TryFindTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}

/// <summary>Says once, at start, why the alert pipeline is not running.</summary>
internal sealed partial class AlertsOffNotice(AlertPipelineState state, ILogger<AlertsOffNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogOff(logger, state.Describe());
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

/// <summary>Says once, at start, that the pipeline's state is in this process's memory and what that means.</summary>
internal sealed partial class InMemoryStateNotice(ILogger<InMemoryStateNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogInMemory(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4303, LogLevel.Warning, "The alert pipeline keeps its state in this process's memory (Redis:ConnectionString is not set): run exactly one instance, and expect a restart to forget what was posted. Set Redis:ConnectionString whenever more than one instance runs")]
    private static partial void LogInMemory(ILogger logger);
}
