using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Diagnostics;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Asks Microsoft Graph for alerts on a timer. Exactly one instance polls at a time (a Redis lease
/// renewed every poll; another instance takes over when the holder dies). First sight decides what is
/// new: an open alert never seen before is queued once for every subscribed conversation, whenever
/// Graph shows it and whatever its detection time. Only the very first poll of a new state is bounded
/// (<see cref="AlertPipelineOptions.InitialLookback"/>; older open alerts are left to the backfill), and
/// the first poll after Redis lost its state posts only what was detected since the last complete poll
/// (<see cref="EpochGuard"/>). Alerts are handled as Graph's pages arrive, so a listing that fails
/// half-way keeps what it read; an id Graph repeats is taken once. Alerts whose state changed
/// elsewhere get their cards edited.
/// </summary>
public sealed partial class AlertPoller(
    IAlertLedger ledger,
    IAlertWorkStreams work,
    EpochGuard epochs,
    ConversationDirectory directory,
    Backfill backfill,
    IAlertSource source,
    WorkSignal signal,
    Dashboard.IAlertChangeFeed changes,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<AlertPoller> logger) : BackgroundService
{
    private readonly SemaphoreSlim _pollNow = new(0, 1);

    /// <summary>Alerts this process saw in the current epoch (so a poll asks Redis only about the others).</summary>
    private readonly HashSet<string> _seenHere = new(StringComparer.Ordinal);
    private string? _seenEpoch;

    /// <summary>When this process last kept a watched alert's state alive (a day's touch is plenty for a retention of months).</summary>
    private readonly Dictionary<string, DateTimeOffset> _touchedAt = new(StringComparer.Ordinal);

    /// <summary>This instance's name in the lease.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Asks for a poll now (e.g. after a Partner Center webhook), without waiting for the timer.</summary>
    public void RequestPoll()
    {
        try
        {
            _pollNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
    }

    /// <summary>
    /// One poll: takes or renews the lease (returns null without it), queues new alerts and changes.
    /// </summary>
    public async Task<PollResult?> PollOnceAsync(CancellationToken cancellationToken)
    {
        AlertPipelineOptions settings = options.Value;
        if (!await ledger.TryAcquireLeaseAsync(InstanceId, settings.LeaseDuration))
        {
            return null;
        }

        // Only the lease holder's polls are spans: the others did nothing.
        using Activity? span = BotTelemetry.Source.StartActivity(BotTelemetry.PollSpan);
        PipelineEpoch epoch = await epochs.CurrentAsync(cancellationToken);
        if (_seenEpoch != epoch.Id)
        {
            _seenHere.Clear();
            _touchedAt.Clear();
            _seenEpoch = epoch.Id;
        }

        DateTimeOffset startedAt = time.GetUtcNow();
        IReadOnlyList<SubscribedConversation> subscribed = await directory.ListAsync(fresh: true, cancellationToken);
        if (epoch.Initialized)
        {
            subscribed = await epochs.RepairReferencesAsync(subscribed, cancellationToken);
            epochs.Remember(subscribed);
        }

        string[] conversations = [.. subscribed.Select(s => s.Subscription.ConversationId)];

        // The first poll of a new state posts recent alerts only; after a loss, those since the last complete poll.
        bool first = !epoch.Initialized;
        bool recovering = first && epoch.ResumeFrom is not null;
        DateTimeOffset since = (epoch.ResumeFrom ?? startedAt - settings.InitialLookback) - settings.OverlapWindow;
        Dictionary<string, PartnerSecurityAlert> open = new(StringComparer.Ordinal);
        // The alerts this poll saw first, and whether each came in a storm.
        Dictionary<string, bool> fresh = new(StringComparer.Ordinal);
        int queued = 0;
        Exception? failure = null;
        try
        {
            await foreach (PartnerSecurityAlert alert in source.StreamOpenAsync(cancellationToken))
            {
                if (!open.TryAdd(alert.Id, alert) || _seenHere.Contains(alert.Id))
                {
                    continue;
                }

                bool post = !first || (alert.DetectedDateTime ?? startedAt) >= since;
                if (!post)
                {
                    await work.MarkSeenAsync(alert.Id);
                }
                else if (await IsStormAsync(alert, startedAt) is var storm && await work.FirstSightAsync(alert.Id, conversations, verify: recovering, storm))
                {
                    queued++;
                    fresh[alert.Id] = storm;
                    await ledger.WatchAsync(alert.Id, AlertSnapshot.Of(alert), startedAt, settings.StateRetention);
                    changes.Publish(alert.Id, Dashboard.AlertChangeKind.New);
                    if (queued % 16 == 1)
                    {
                        // The first cards go out while the rest of the listing is read.
                        signal.Raise();
                    }
                }

                _seenHere.Add(alert.Id);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // What was read so far is queued; changes and the epoch wait for a complete listing.
            failure = e;
        }

        // Not after a poll that found no subscription at all: that is a new install or a data loss, whose
        // recovery puts the subscriptions back from the directory's last copy (which a second empty read would clear).
        if (fresh.Count > 0 && conversations.Length > 0)
        {
            await CoverNewSubscriptionsAsync(conversations, fresh, recovering, cancellationToken);
        }

        int changed = failure is null ? await QueueChangesAsync(open, fresh, startedAt, cancellationToken) : 0;
        if (failure is not null)
        {
            LogPartialPoll(logger, failure, open.Count, queued);
            span?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            throw new AlertPollException($"The alert listing failed after {open.Count} alerts ({queued} new, queued); the next poll goes on.", failure);
        }

        PipelineEpoch done = epoch with { Initialized = true, Watermark = startedAt };
        if (await ledger.UpdateEpochAsync(done))
        {
            epochs.Observe(done);
        }

        if (recovering)
        {
            await backfill.AnnounceRecoveryAsync(subscribed, [.. open.Values.Where(a => (a.DetectedDateTime ?? startedAt) < since)], done.Id, cancellationToken);
        }

        if (queued + changed > 0)
        {
            signal.Raise();
        }

        LogPolled(logger, open.Count, queued, changed);
        span?.SetTag("teamsalertbot.poll.open", open.Count);
        span?.SetTag("teamsalertbot.poll.queued", queued);
        span?.SetTag("teamsalertbot.poll.changed", changed);
        return new PollResult(open.Count, queued, changed);
    }

    /// <summary>
    /// A conversation that subscribed while this poll was listing would miss the alerts the poll saw
    /// first (their first sight queued posts for the conversations read at its start), and the backfill of
    /// its subscription could not list them yet. The subscriptions are read again (exactly, not coalesced
    /// with a read of a moment ago) after the first sights; the new ones get a post of each alert this poll queued. Later subscriptions see these alerts in
    /// their backfill (they are in Graph by then).
    /// </summary>
    private async Task CoverNewSubscriptionsAsync(string[] polledFor, Dictionary<string, bool> queued, bool verify, CancellationToken cancellationToken)
    {
        IReadOnlyList<SubscribedConversation> now = await directory.ListAsync(fresh: true, cancellationToken, exact: true);
        string[] added = [.. now.Select(s => s.Subscription.ConversationId).Except(polledFor, StringComparer.Ordinal)];
        foreach (string conversation in added)
        {
            foreach ((string alertId, bool storm) in queued)
            {
                await work.EnqueueAsync(new AlertWorkItem { Kind = AlertWorkKind.Post, AlertId = alertId, ConversationId = conversation, Storm = storm, Verify = verify });
            }

            LogSubscribedDuringPoll(logger, conversation, queued.Count);
        }

        if (added.Length > 0)
        {
            signal.Raise();
        }
    }

    /// <summary>
    /// Whether a new alert comes in a storm of its customer's: more than <see cref="AlertPipelineOptions.StormThreshold"/>
    /// first seen within <see cref="AlertPipelineOptions.StormWindow"/> (this one counted once, at its first sight).
    /// </summary>
    private async Task<bool> IsStormAsync(PartnerSecurityAlert alert, DateTimeOffset now)
    {
        AlertPipelineOptions settings = options.Value;
        return alert.CustomerTenantId is { Length: > 0 } customer
            && await ledger.CountRecentAsync(customer, alert.Id, now, settings.StormWindow) > settings.StormThreshold;
    }

    /// <summary>Edits the cards of watched alerts whose state changed (resolved or claimed elsewhere), and keeps watched state alive.</summary>
    private async Task<int> QueueChangesAsync(Dictionary<string, PartnerSecurityAlert> open, Dictionary<string, bool> fresh, DateTimeOffset now, CancellationToken cancellationToken)
    {
        AlertPipelineOptions settings = options.Value;
        int changed = 0;
        IReadOnlyList<string> watched = await ledger.ListWatchedAsync(now, settings.StateRetention);
        foreach (string gone in _touchedAt.Keys.Except(watched, StringComparer.Ordinal).ToList())
        {
            _touchedAt.Remove(gone);
        }

        foreach (string alertId in watched.Where(id => !fresh.ContainsKey(id)))
        {
            AlertSnapshot? shown;
            PartnerSecurityAlert? current;
            if (open.TryGetValue(alertId, out PartnerSecurityAlert? listed))
            {
                current = listed;
                if (_touchedAt.TryGetValue(alertId, out DateTimeOffset touched) && now - touched < TimeSpan.FromDays(1))
                {
                    shown = await ledger.GetSnapshotAsync(alertId);
                }
                else
                {
                    shown = await ledger.TouchAsync(alertId, now, settings.StateRetention);
                    _touchedAt[alertId] = now;
                }
            }
            else
            {
                // No longer open: resolved elsewhere (its cards must say so), or gone.
                current = await source.GetAsync(alertId, cancellationToken);
                shown = await ledger.GetSnapshotAsync(alertId);
                if (current is null)
                {
                    await ledger.UnwatchAsync(alertId);
                    continue;
                }
            }

            if (shown is not null && AlertSnapshot.Of(current) != shown)
            {
                await work.EnqueueAsync(AlertWorkItem.Update(alertId));
                changes.Publish(alertId, Dashboard.AlertChangeKind.Updated);
                changed++;
            }
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, e);
            }

            try
            {
                // The timer, or an early poll asked for by the webhook.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                Task timer = Task.Delay(options.Value.PollInterval, time, wait.Token);
                Task early = _pollNow.WaitAsync(wait.Token);
                await Task.WhenAny(timer, early);
                await wait.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        try
        {
            await ledger.ReleaseLeaseAsync(InstanceId);
        }
        catch (RedisException)
        {
            // The lease expires by itself.
        }
    }

    public override void Dispose()
    {
        _pollNow.Dispose();
        base.Dispose();
    }

    [LoggerMessage(4000, LogLevel.Information, "Polled {OpenCount} open alerts: {Queued} new, {Changed} changed")]
    private static partial void LogPolled(ILogger logger, int openCount, int queued, int changed);

    [LoggerMessage(6500, LogLevel.Information, "{Conversation} subscribed while a poll was listing: it gets posts of the {Count} alerts that poll saw first")]
    private static partial void LogSubscribedDuringPoll(ILogger logger, string conversation, int count);

    [LoggerMessage(4001, LogLevel.Error, "Alert poll failed; the next poll retries")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(4002, LogLevel.Warning, "The alert listing failed after {OpenCount} alerts; {Queued} new ones were queued, the rest waits for the next poll")]
    private static partial void LogPartialPoll(ILogger logger, Exception exception, int openCount, int queued);
}

/// <summary>What one poll found.</summary>
public sealed record PollResult(int OpenAlerts, int Queued, int Changed);

/// <summary>A poll that read only part of the alert listing.</summary>
public sealed class AlertPollException : Exception
{
    public AlertPollException()
    {
    }

    public AlertPollException(string message)
        : base(message)
    {
    }

    public AlertPollException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
