using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Graph;
using TeamsAlertBot.Triage.Bulk;

namespace TeamsAlertBot.Alerts;

/// <summary>Settings of the storm cards' live overview (<c>StormOverview</c> section).</summary>
public sealed class StormOverviewOptions
{
    public const string SectionName = "StormOverview";

    /// <summary>
    /// A storm card is edited at most once per this interval while its customer's alerts change (the first
    /// change after an edit waits this long; changes meanwhile join it). The end of a bulk run is shown at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each instance looks for a storm card that is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one instance holds a storm card it renders; an instance that dies lets another render it after this.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan RenderLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long after a storm started its card is kept current.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan LiveFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Decided alerts detected this long before the storm started are counted too (open ones whatever their age).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Renders of one card that fail in a row (Graph or Teams refusing) before the card is no longer kept current.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;
}

/// <summary>
/// Keeps storm cards current: the one renderer of a storm card, on every instance where the pipeline
/// runs. It claims the storms whose render is due (<see cref="IStormOverviewLedger"/>: one instance per
/// storm, debounced, durable), counts the customer's alerts from Graph, adds the progress of the bulk run
/// the card shows, and edits the card for everyone through the connector's send queue at low priority
/// (new alerts' cards and replies go first; Teams' per-conversation limits hold). A card that is gone
/// (403/404), a storm older than <see cref="StormOverviewOptions.LiveFor"/>, or one whose renders keep
/// failing is forgotten, so nothing loops.
/// </summary>
public sealed partial class StormOverviewService(
    IStormOverviewLedger ledger,
    IPartnerSecurityAlertClient graph,
    AlertCardRenderer renderer,
    ConnectorClient connector,
    IServiceProvider services,
    IOptions<StormOverviewOptions> options,
    TimeProvider time,
    ILogger<StormOverviewService> logger) : BackgroundService
{
    /// <summary>Storms one look claims at most.</summary>
    private const int ClaimBatch = 8;

    private StormOverviewOptions Settings => options.Value;

    /// <summary>Counts the customer's alerts for a storm card: every open one, and those detected since <paramref name="since"/>.</summary>
    public async Task<StormOverview> CountAsync(string customerTenantId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        List<PartnerSecurityAlert> alerts = [];
        await foreach (PartnerSecurityAlert alert in graph.ListAsync(AlertQuery.Open, cancellationToken))
        {
            if (alert.CustomerTenantId == customerTenantId)
            {
                alerts.Add(alert);
            }
        }

        await foreach (PartnerSecurityAlert alert in graph.ListAsync(new AlertQuery { DetectedSince = since }, cancellationToken))
        {
            if (alert.CustomerTenantId == customerTenantId)
            {
                alerts.Add(alert);
            }
        }

        // Open ones are listed twice when recent; the later listing is the newer state.
        alerts.Reverse();
        return StormOverview.Of(alerts, since, time.GetUtcNow());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                DateTimeOffset now = time.GetUtcNow();
                IReadOnlyList<StormRenderClaim> claims = await ledger.ClaimAsync(now, Settings.RenderLease, ClaimBatch, now - Settings.LiveFor);
                await Task.WhenAll(claims.Select(c => RenderAsync(c, stoppingToken)));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis away, or a record it cannot read: look again shortly (a render never stops the host).
                LogLookFailed(logger, e);
            }

            try
            {
                await Task.Delay(Settings.CheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Renders one claimed storm card and edits it; never throws (the claim is completed, retried or dropped).</summary>
    private async Task RenderAsync(StormRenderClaim claim, CancellationToken stoppingToken)
    {
        if (claim.Root is not { } root || ServiceUrlPolicy.TryParseServiceUrl(root.ServiceUrl) is not { } serviceUrl || root.RootActivityId.Length == 0)
        {
            LogForgotten(logger, claim.Member, "its card is not known");
            await ledger.DropAsync(claim.Member);
            return;
        }

        if (claim.Attempts >= Settings.MaxAttempts)
        {
            LogForgotten(logger, claim.Member, $"{claim.Attempts} renders failed in a row");
            await ledger.DropAsync(claim.Member);
            return;
        }

        // The render gives up well within its lease, so another instance never renders the same card meanwhile.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        budget.CancelAfter(Settings.RenderLease / 2);
        try
        {
            StormOverview overview = await CountAsync(root.CustomerTenantId, root.StartedAt - Settings.Lookback, budget.Token);
            AdaptiveCard card = renderer.StormRoot(
                root.Language, root.CustomerTenantId, root.CustomerName, root.ConversationId, root.StartedAt, await ProgressAsync(claim.RunId), overview);
            await connector.UpdateActivityAsync(
                serviceUrl, root.ThreadConversationId, root.RootActivityId, AlertPublisher.CardActivity(card, card.Speak), SendOptions.LowPriority, budget.Token);
            DateTimeOffset now = time.GetUtcNow();
            await ledger.CompleteAsync(claim, overview, now, now + Settings.EditInterval);
            LogRendered(logger, root.CustomerTenantId, root.ConversationId, overview.Total, overview.Open);
        }
        catch (ConnectorException e) when (e.IsConversationGone)
        {
            // The card or the conversation is gone (deleted, bot removed): nothing to keep current.
            LogForgotten(logger, claim.Member, $"Teams answered {(int?)e.StatusCode}");
            await ledger.DropAsync(claim.Member);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Waited its turn behind other sends (or for Graph) past its budget: not a failure of the card.
            await ledger.RetryAsync(claim, time.GetUtcNow() + Settings.EditInterval, failed: false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait = Backoff(claim.Attempts);
            LogRenderFailed(logger, e, claim.Member, wait);
            try
            {
                await ledger.RetryAsync(claim, time.GetUtcNow() + wait, failed: true);
            }
            catch (Exception again) when (again is RedisException or TimeoutException)
            {
                // The claim lapses and the storm is due again after its lease.
                LogLookFailed(logger, again);
            }
        }
    }

    /// <summary>The progress section of the bulk run the card shows (bulk runs exist only where the state is in Redis).</summary>
    private async Task<IReadOnlyList<CardElement>?> ProgressAsync(string? runId)
    {
        if (runId is null || services.GetService<BulkTriageLedger>() is not { } bulk || services.GetService<BulkTriageRunner>() is not { } runner
            || await bulk.GetRunAsync(runId) is not { } run)
        {
            return null;
        }

        return runner.ProgressSection(run, await bulk.GetItemsAsync(runId), run.ConversationId);
    }

    /// <summary>The wait after the n-th failed render in a row: the edit interval doubling, at most five minutes.</summary>
    private TimeSpan Backoff(int attempts)
    {
        TimeSpan wait = Settings.EditInterval * Math.Pow(2, Math.Min(attempts, 10));
        return wait < TimeSpan.FromMinutes(5) ? wait : TimeSpan.FromMinutes(5);
    }

    [LoggerMessage(6000, LogLevel.Debug, "Storm card of {CustomerTenantId} in {ConversationId} edited: {Total} alerts, {Open} open")]
    private static partial void LogRendered(ILogger logger, string customerTenantId, string conversationId, int total, int open);

    [LoggerMessage(6001, LogLevel.Warning, "Rendering storm card {Storm} failed; trying again in {Wait}")]
    private static partial void LogRenderFailed(ILogger logger, Exception exception, string storm, TimeSpan wait);

    [LoggerMessage(6002, LogLevel.Information, "Storm card {Storm} is no longer kept current: {Reason}")]
    private static partial void LogForgotten(ILogger logger, string storm, string reason);

    [LoggerMessage(6003, LogLevel.Warning, "Looking for storm cards to render failed; looking again shortly")]
    private static partial void LogLookFailed(ILogger logger, Exception exception);
}
