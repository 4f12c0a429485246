using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Connector;
using TeamsAlertBot.Core.Cards;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.Graph;

namespace TeamsAlertBot.Triage.Bulk;

/// <summary>Settings of bulk triage (<c>BulkTriage</c> section).</summary>
public sealed class BulkTriageOptions
{
    public const string SectionName = "BulkTriage";

    /// <summary>How many Graph updates a run has in flight at once.</summary>
    [Range(1, 16)]
    public int GraphConcurrency { get; set; } = 4;

    /// <summary>How many times one alert's Graph update is tried (a 429 pauses the whole run for its Retry-After).</summary>
    [Range(1, 10)]
    public int GraphAttempts { get; set; } = 3;

    /// <summary>How often at most the progress card is edited while a run goes on.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the instance running a run holds it without renewing; then another instance resumes it.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle instance looks for a run to resume.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs the bulk run that holds the bulk claim, on whichever instance takes its lease: the one whose
/// user confirmed it at once, or another (or the restarted one) when that instance died — every
/// alert's step is stored as it happens, so a resumed run goes on where the last one stopped. Per
/// alert: the single-triage claim at the version the run saw (an alert decided meanwhile one by one
/// is skipped), the Graph update (a few at once; a 429 pauses the whole run for its Retry-After), the
/// audit entry naming the run, then its cards edited at low priority so new alerts' cards go first.
/// The progress card is edited every few seconds and once more at the end with the failures and a Retry.
/// </summary>
public sealed partial class BulkTriageRunner(
    BulkTriageLedger ledger,
    ITriageLedger triage,
    PartnerSecurityAlertClient graph,
    ClickAlertReader clicks,
    IAlertLedger alerts,
    AlertPublisher publisher,
    IAlertWorkStreams work,
    AlertCardRenderer renderer,
    ConnectorClient connector,
    IStormOverviewLedger overviews,
    Dashboard.IAlertChangeFeed changes,
    IOptions<BulkTriageOptions> options,
    IOptions<AlertPipelineOptions> pipeline,
    IOptions<StormOverviewOptions> overviewOptions,
    TimeProvider time,
    ILogger<BulkTriageRunner> logger) : BackgroundService
{
    private readonly WorkSignal _wake = new();
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private long _pausedUntilTicks;

    private BulkTriageOptions Settings => options.Value;

    /// <summary>A run was confirmed here: start it now rather than at the next look.</summary>
    public void Wake() => _wake.Raise();

    /// <summary>The progress card section of a run (also what the confirming click answers with).</summary>
    public IReadOnlyList<CardElement> ProgressSection(BulkRun run, IReadOnlyDictionary<string, string> items, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(run);
        BulkProgress progress = BulkItemState.Progress(items);
        BulkActionData retry = renderer.SignBulk(
            new BulkActionData { Step = BulkStep.Retry, Verdict = run.Verdict, Reference = run.Id, Signature = string.Empty }, conversationId);
        return BulkCards.Progress(BulkTexts.For(run.Language), TriageTexts.For(run.Language), run.Verdict, run.ActorName, progress, retry);
    }

    /// <summary>
    /// The card that started the run, with its progress: a storm's root (with the overview it showed
    /// last) for a storm's run; for any other (an <c>alerts</c> list, the backfill card, the daily
    /// summary) a card naming the selection.
    /// </summary>
    public async Task<AdaptiveCard> CardAsync(BulkRun run, IReadOnlyDictionary<string, string> items)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        IReadOnlyList<CardElement> progress = ProgressSection(run, items, run.ConversationId);
        BulkSelection scope = run.Scope;
        if (scope.Kind != BulkSelectionKind.Storm)
        {
            return BulkCards.RunCard(run.Language, scope, items.Count, progress);
        }

        string customer = scope.Customer ?? string.Empty;
        return renderer.StormRoot(
            run.Language, customer, scope.CustomerName ?? customer, run.ConversationId, run.StormStartedAt ?? run.CreatedAt, progress,
            await overviews.GetOverviewAsync(customer, run.ConversationId));
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ledger.GetActiveAsync() is { } id && await ledger.TakeLeaseAsync(_owner, Settings.Lease))
                {
                    await RunLeasedAsync(id, stoppingToken);
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, e);
            }

            try
            {
                await _wake.WaitAsync(Settings.IdleDelay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunLeasedAsync(string id, CancellationToken stoppingToken)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task renew = RenewAsync(held);
        try
        {
            await RunAsync(id, held.Token);
        }
        finally
        {
            await held.CancelAsync();
            await renew;
            try
            {
                await ledger.ReleaseLeaseAsync(_owner);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // It lapses by itself.
                LogRunFailed(logger, e);
            }
        }
    }

    /// <summary>Keeps the lease while the run goes on; stops the run when the lease is lost.</summary>
    private async Task RenewAsync(CancellationTokenSource held)
    {
        while (!held.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Settings.Lease / 3, time, held.Token);
                if (!await ledger.RenewLeaseAsync(_owner, Settings.Lease))
                {
                    LogLeaseLost(logger);
                    await held.CancelAsync();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRunFailed(logger, e);
            }
        }
    }

    private async Task RunAsync(string id, CancellationToken cancellationToken)
    {
        if (await ledger.GetRunAsync(id) is not { } run)
        {
            // Its definition expired (nobody ran it for the whole retention): free the claim.
            await ledger.FinishAsync(id);
            return;
        }

        LogRunStarted(logger, run.Id, run.Verdict, run.Items.Count);
        var items = new ConcurrentDictionary<string, string>(await ledger.GetItemsAsync(id), StringComparer.Ordinal);
        Dictionary<string, int> versions = run.Items.ToDictionary(i => i.AlertId, i => i.Version, StringComparer.Ordinal);
        Channel<string> edits = Channel.CreateUnbounded<string>();
        foreach ((string alertId, string state) in items)
        {
            if (BulkItemState.NeedsEdit(state))
            {
                edits.Writer.TryWrite(alertId);
            }
        }

        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task progress = ShowProgressAsync(run, items, progressStop.Token);
        try
        {
            Task editing = EditAsync(run, items, edits.Reader, cancellationToken);
            try
            {
                await Parallel.ForEachAsync(
                    [.. items.Where(i => BulkItemState.NeedsGraph(i.Value)).Select(i => i.Key).Order(StringComparer.Ordinal)],
                    new ParallelOptions { MaxDegreeOfParallelism = Settings.GraphConcurrency, CancellationToken = cancellationToken },
                    async (alertId, ct) =>
                    {
                        string state = await ApplyAsync(run, alertId, items[alertId], versions.GetValueOrDefault(alertId, 1), items, ct);
                        if (BulkItemState.NeedsEdit(state))
                        {
                            edits.Writer.TryWrite(alertId);
                        }
                    });
            }
            finally
            {
                edits.Writer.TryComplete();
            }

            await editing;
        }
        finally
        {
            // Also when the run stops half-way (lease lost, Redis away): no progress edits after it.
            await progressStop.CancelAsync();
            await progress;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await EditRunCardAsync(run, items, lowPriority: false, CancellationToken.None);
        await ledger.FinishAsync(run.Id);
        BulkProgress done = BulkItemState.Progress(items);
        changes.PublishBulk(run.Id, done.Updated, done.Total, done: true);
        LogRunFinished(logger, run.Id, done.Updated, done.Skipped, done.Failed.Count);
    }

    /// <summary>One alert through its claim and Graph; returns its new state.</summary>
    private async Task<string> ApplyAsync(BulkRun run, string alertId, string state, int proposedVersion, ConcurrentDictionary<string, string> items, CancellationToken cancellationToken)
    {
        TriageRecord record;
        if (state == BulkItemState.Pending)
        {
            (ClaimOutcome outcome, record) = await triage.TryClaimAsync(
                alertId, proposedVersion, run.Verdict, run.ActorName, run.ActorObjectId, AuditComment(run), time.GetUtcNow());
            if (outcome != ClaimOutcome.Won)
            {
                // Decided meanwhile one by one (or already so): left as it is.
                return await SetAsync(run, items, alertId, BulkItemState.Skipped);
            }

            await SetAsync(run, items, alertId, BulkItemState.ClaimedPrefix + record.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            // Resumed after the claim: go on only while the claim is still this run's.
            int claimed = int.Parse(state.AsSpan(BulkItemState.ClaimedPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);
            record = await triage.GetAsync(alertId);
            if (record.Version != claimed || record.Verdict != run.Verdict)
            {
                return await SetAsync(run, items, alertId, BulkItemState.Skipped);
            }
        }

        string? failure = null;
        Core.Alerts.PartnerSecurityAlert? updated = null;
        for (int attempt = 1; ; attempt++)
        {
            await PauseAsync(cancellationToken);
            try
            {
                updated = await graph.UpdateAsync(alertId, TriageActionHandler.UpdateFor(run.Verdict), cancellationToken);
                clicks.Forget(alertId);
                break;
            }
            catch (GraphException e) when (e.RetryAfter is { } retryAfter && attempt < Settings.GraphAttempts)
            {
                // Graph asks every caller to wait: the whole run waits, not only this alert.
                Pause(retryAfter);
                LogThrottled(logger, run.Id, retryAfter);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failure = e is GraphException { StatusCode: { } status } ? BulkItemState.GraphStatusReason((int)status) : BulkItemState.GraphUnavailableReason;
                LogGraphFailed(logger, e, run.Id, alertId);
                break;
            }
        }

        if (updated is not null)
        {
            // After Graph took the verdict, so a Redis hiccup here is not reported as a Graph failure. The run
            // edits the cards itself (at low priority, resumed if this instance dies): the poller must not
            // queue an edit of its own for the same change.
            await changes.DecidedAsync(updated, run.Verdict, record.At ?? time.GetUtcNow());
            await alerts.SetSnapshotAsync(alertId, AlertSnapshot.Of(updated), updated.IsOpen, time.GetUtcNow(), pipeline.Value.StateRetention);
        }

        bool applied = failure is null;
        await triage.CompleteAsync(alertId, record.Version, applied ? TriageState.Applied : TriageState.Failed);
        await triage.AppendAuditAsync(alertId, new AuditEntry(
            time.GetUtcNow(), run.Verdict.ToString(), run.ActorName, run.ActorObjectId, AuditComment(run), applied ? AuditVocabulary.Applied : AuditVocabulary.GraphFailed));
        return await SetAsync(run, items, alertId, applied ? BulkItemState.Applied : BulkItemState.FailedPrefix + failure);
    }

    /// <summary>Edits each alert's cards as its Graph update ends, one at a time and at low priority.</summary>
    private async Task EditAsync(BulkRun run, ConcurrentDictionary<string, string> items, ChannelReader<string> edits, CancellationToken cancellationToken)
    {
        await foreach (string alertId in edits.ReadAllAsync(cancellationToken))
        {
            WorkResult result;
            try
            {
                result = await publisher.UpdateAsync(alertId, lowPriority: true, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogEditFailed(logger, e, run.Id, alertId);
                result = new WorkResult(WorkOutcome.Retry, e.Message);
            }

            if (result.Outcome != WorkOutcome.Done)
            {
                // The dispatcher retries it with its backoff; the run goes on.
                await work.EnqueueAsync(AlertWorkItem.Update(alertId));
            }

            string state = items[alertId];
            await SetAsync(run, items, alertId, state == BulkItemState.Applied ? BulkItemState.AppliedEdited : BulkItemState.FailedEditedPrefix + BulkItemState.Reason(state));
        }
    }

    private async Task ShowProgressAsync(BulkRun run, ConcurrentDictionary<string, string> items, CancellationToken cancellationToken)
    {
        BulkProgress? shown = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Settings.ProgressInterval, time, cancellationToken);
                BulkProgress now = BulkItemState.Progress(items);
                if (shown is null || now.Updated != shown.Updated || now.Skipped != shown.Skipped || now.Failed.Count != shown.Failed.Count)
                {
                    changes.PublishBulk(run.Id, now.Updated, now.Total, done: false);
                    await EditRunCardAsync(run, items, lowPriority: true, cancellationToken);
                    shown = now;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task EditRunCardAsync(BulkRun run, IReadOnlyDictionary<string, string> items, bool lowPriority, CancellationToken cancellationToken)
    {
        if (run.CardActivityId.Length == 0 || ServiceUrlPolicy.TryParseServiceUrl(run.ServiceUrl) is not { } serviceUrl)
        {
            return;
        }

        try
        {
            // A storm card kept current has one renderer (its overview and this progress together): it is marked, not edited here.
            DateTimeOffset now = time.GetUtcNow();
            if (run.Scope is { Kind: BulkSelectionKind.Storm, Customer: { } stormCustomer }
                && await overviews.ShowRunAsync(stormCustomer, run.ConversationId, run.CardActivityId, run.Id, lowPriority ? now + overviewOptions.Value.EditInterval : now, urgent: !lowPriority))
            {
                return;
            }

            AdaptiveCard card = await CardAsync(run, items);
            await connector.UpdateActivityAsync(
                serviceUrl, run.CardConversationId, run.CardActivityId, AlertPublisher.CardActivity(card, card.Speak),
                lowPriority ? SendOptions.LowPriority : SendOptions.Queued, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogProgressFailed(logger, e, run.Id);
        }
    }

    private async Task<string> SetAsync(BulkRun run, ConcurrentDictionary<string, string> items, string alertId, string state)
    {
        await ledger.SetItemAsync(run.Id, alertId, state);
        items[alertId] = state;
        return state;
    }

    private void Pause(TimeSpan retryAfter)
    {
        long until = (time.GetUtcNow() + retryAfter).UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilTicks);
            if (current >= until)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilTicks, until, current) != current);
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>The comment on each alert's record and audit entry: it names the bulk run.</summary>
    private static string AuditComment(BulkRun run)
    {
        BulkTexts texts = BulkTexts.For(run.Language);
        return texts.Format(texts.AuditComment, TriageTexts.For(run.Language).Verdict(run.Verdict), run.Items.Count, run.Id);
    }

    [LoggerMessage(5140, LogLevel.Information, "Bulk run {RunId}: {Verdict} of {Count} alerts started (or resumed) here")]
    private static partial void LogRunStarted(ILogger logger, string runId, TriageVerdict verdict, int count);

    [LoggerMessage(5141, LogLevel.Information, "Bulk run {RunId} finished: {Updated} updated, {Skipped} skipped, {Failed} failed")]
    private static partial void LogRunFinished(ILogger logger, string runId, int updated, int skipped, int failed);

    [LoggerMessage(5142, LogLevel.Error, "Running a bulk triage run failed; it is resumed from where it stopped")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(5143, LogLevel.Warning, "The lease on the bulk run was lost; another instance resumes it")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(5144, LogLevel.Warning, "Bulk run {RunId}: Graph asked to wait {RetryAfter}; the run pauses")]
    private static partial void LogThrottled(ILogger logger, string runId, TimeSpan retryAfter);

    [LoggerMessage(5145, LogLevel.Warning, "Bulk run {RunId}: the Graph update of {AlertId} failed")]
    private static partial void LogGraphFailed(ILogger logger, Exception exception, string runId, string alertId);

    [LoggerMessage(5146, LogLevel.Warning, "Bulk run {RunId}: editing the cards of {AlertId} failed; queued for the dispatcher")]
    private static partial void LogEditFailed(ILogger logger, Exception exception, string runId, string alertId);

    [LoggerMessage(5147, LogLevel.Warning, "Bulk run {RunId}: editing its progress card failed")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, string runId);
}
