using Microsoft.Extensions.Options;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Consumes the alert work stream as one consumer of the dispatchers' group. An item is acknowledged
/// only when its work is done (the connector accepted every card); items a dead or failing consumer
/// left pending are reclaimed after <see cref="AlertPipelineOptions.ReclaimAfter"/>.
/// </summary>
public sealed partial class AlertDispatcher(
    AlertLedger ledger,
    AlertPublisher publisher,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 16;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private bool _groupReady;

    /// <summary>New work was queued in this process: look now instead of after the idle delay.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>This instance's consumer name.</summary>
    public string ConsumerName { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Handles one batch (reclaimed first, then new); returns how many items it looked at.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        if (!_groupReady)
        {
            await ledger.EnsureGroupAsync();
            _groupReady = true;
        }

        IReadOnlyList<QueuedAlertWork> work = await ledger.ReclaimAsync(ConsumerName, options.Value.ReclaimAfter, BatchSize);
        if (work.Count == 0)
        {
            work = await ledger.ReadAsync(ConsumerName, BatchSize);
        }

        foreach (QueuedAlertWork item in work)
        {
            bool done = item.Item.Kind switch
            {
                AlertWorkKind.Post => await publisher.PostAsync(item.Item.AlertId, cancellationToken),
                AlertWorkKind.Update => await publisher.UpdateAsync(item.Item.AlertId, cancellationToken),
                _ => true,
            };
            if (done)
            {
                await ledger.AcknowledgeAsync(item.EntryId);
            }
        }

        return work.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled = 0;
            try
            {
                handled = await DispatchOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(logger, e);
            }

            if (handled == 0)
            {
                try
                {
                    // Work queued by another instance is found after the idle delay; work queued here wakes us.
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    await Task.WhenAny(Task.Delay(options.Value.DispatchIdleDelay, time, wait.Token), _wake.WaitAsync(wait.Token));
                    await wait.CancelAsync();
                    stoppingToken.ThrowIfCancellationRequested();
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(4200, LogLevel.Error, "Alert dispatch failed; unacknowledged work is retried")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
