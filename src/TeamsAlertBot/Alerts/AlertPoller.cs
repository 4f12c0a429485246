using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Asks Microsoft Graph for alerts on a timer. Exactly one instance polls at a time (a Redis lease
/// renewed every poll; another instance takes over when the holder dies). New alerts are queued once
/// (first sight is atomic with the queuing); alerts whose state changed elsewhere get their cards edited.
/// </summary>
public sealed partial class AlertPoller(
    AlertLedger ledger,
    IAlertSource source,
    AlertDispatcher dispatcher,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<AlertPoller> logger) : BackgroundService
{
    private readonly SemaphoreSlim _pollNow = new(0, 1);

    /// <summary>This instance's name in the lease.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Asks for a poll now (e.g. after a Partner Center webhook), without waiting for the timer.</summary>
    public void RequestPoll()
    {
        if (_pollNow.CurrentCount == 0)
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

        DateTimeOffset startedAt = time.GetUtcNow();
        DateTimeOffset since = (await ledger.GetWatermarkAsync() ?? startedAt - settings.InitialLookback) - settings.OverlapWindow;
        IReadOnlyList<PartnerSecurityAlert> open = await source.ListOpenAsync(cancellationToken);

        // Highest severity first, so that storm threads and busy channels get the worst news first.
        int queued = 0;
        foreach (PartnerSecurityAlert alert in open
            .Where(a => (a.DetectedDateTime ?? startedAt) >= since)
            .OrderByDescending(a => a.Severity)
            .ThenBy(a => a.DetectedDateTime))
        {
            if (await ledger.FirstSightAsync(alert.Id, settings.SeenRetention))
            {
                queued++;
            }
        }

        int changed = 0;
        Dictionary<string, PartnerSecurityAlert> byId = open.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (string alertId in await ledger.ListWatchedAsync())
        {
            PartnerSecurityAlert? current = byId.GetValueOrDefault(alertId) ?? await source.GetAsync(alertId, cancellationToken);
            AlertSnapshot? shown = await ledger.GetSnapshotAsync(alertId);
            if (current is not null && shown is not null && AlertSnapshot.Of(current) != shown)
            {
                await ledger.EnqueueAsync(new AlertWorkItem(AlertWorkKind.Update, alertId));
                changed++;
            }
        }

        await ledger.SetWatermarkAsync(startedAt);
        if (queued + changed > 0)
        {
            dispatcher.Wake();
        }

        LogPolled(logger, open.Count, queued, changed);
        return new PollResult(open.Count, queued, changed);
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

    [LoggerMessage(4001, LogLevel.Error, "Alert poll failed; the next poll retries")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}

/// <summary>What one poll found.</summary>
public sealed record PollResult(int OpenAlerts, int Queued, int Changed);
