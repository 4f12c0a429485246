using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Diagnostics;
using TeamsAlertBot.Diagnostics;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// Consumes the work streams as one consumer of the dispatchers' group. Work is sorted into lanes, one
/// per conversation (and one per alert for edits): a lane sends one message at a time, in order, while
/// up to <see cref="DeliveryOptions.Concurrency"/> lanes send at once — so a conversation that is slow,
/// throttled or failing holds up only its own lane. A lane whose conversation failed cools down: its
/// queued work is put back for later instead of hammering it. Everything this instance holds is
/// renewed every third of <see cref="AlertPipelineOptions.ReclaimAfter"/>, so no other instance takes
/// over work that is still running; work is acknowledged only when done.
/// </summary>
public sealed partial class AlertDispatcher(
    IAlertWorkStreams work,
    AlertPublisher publisher,
    QueuedReplies replies,
    DeadLetterNotices notices,
    IDeliveryLedger deliveries,
    WorkSignal signal,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// How many entries one instance holds at most (waiting in lanes or running): enough to keep every
    /// sender busy, few enough that the other instances get their share of a burst.
    /// </summary>
    private int ReadAhead => options.Value.Delivery.Concurrency * 8;

    private const int BatchSize = 32;

    private readonly SemaphoreSlim _senders = new(options.Value.Delivery.Concurrency, options.Value.Delivery.Concurrency);
    private readonly ConcurrentDictionary<string, Running> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Lock _lanesLock = new();
    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>This instance's consumer name.</summary>
    public string ConsumerName { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Entries this instance holds now (waiting in a lane or running).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Reads one batch and sorts it into lanes; returns how many entries it took.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        int room = ReadAhead - _inFlight.Count;
        if (room <= 0)
        {
            return 0;
        }

        IReadOnlyList<QueuedAlertWork> batch = await work.ReadAsync(
            ConsumerName, Math.Min(BatchSize, room), (partition, entryId) => _inFlight.ContainsKey($"{partition}/{entryId}"));
        foreach (QueuedAlertWork entry in batch)
        {
            Route(entry);
        }

        return batch.Count;
    }

    /// <summary>Waits until this instance holds no work (tests and the bench).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (!_inFlight.IsEmpty)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        Task heartbeat = HeartbeatAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            int taken = 0;
            try
            {
                taken = await DispatchOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(logger, e);
            }

            if (taken == 0)
            {
                try
                {
                    // Work queued by another instance is found after the idle delay; work queued here wakes us.
                    await signal.WaitAsync(options.Value.DispatchIdleDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await heartbeat;
    }

    public override void Dispose()
    {
        _senders.Dispose();
        base.Dispose();
    }

    private void Route(QueuedAlertWork entry)
    {
        AlertWorkItem item = entry.Item!;
        var running = new Running(entry);
        if (!_inFlight.TryAdd(InFlightKey(entry), running))
        {
            // Read again while this instance still holds it (its heartbeat was late): one run is enough.
            LogAlreadyHeld(logger, entry.EntryId);
            return;
        }

        string key = item.Kind is AlertWorkKind.Update
            ? "a:" + item.AlertId
            : "c:" + State.ConversationReference.BaseConversationId(item.ConversationId!);
        lock (_lanesLock)
        {
            if (!_lanes.TryGetValue(key, out Lane? lane))
            {
                lane = new Lane(key);
                _lanes[key] = lane;
            }

            lane.Pending.Enqueue(running);
            if (!lane.Active)
            {
                lane.Active = true;
                _ = Task.Run(() => RunLaneAsync(lane), CancellationToken.None);
            }
        }
    }

    private async Task RunLaneAsync(Lane lane)
    {
        while (true)
        {
            Running? next;
            lock (_lanesLock)
            {
                if (!lane.Pending.TryDequeue(out next))
                {
                    lane.Active = false;
                    if (lane.Failures == 0)
                    {
                        // A failing conversation's lane is kept, so its cool-down outlives an empty queue.
                        _lanes.Remove(lane.Key);
                    }

                    return;
                }
            }

            try
            {
                await RunAsync(lane, next);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                // Redis away, Graph away, a bug: the entry stays pending and is retried after its backoff.
                LogWorkFailed(logger, e, next.Entry.Item?.Kind.ToString(), next.Entry.Item?.AlertId, next.Entry.Item?.ConversationId);
            }
            catch (OperationCanceledException)
            {
                // Shutting down: what is not acknowledged is taken over by another instance.
            }
            finally
            {
                _inFlight.TryRemove(InFlightKey(next.Entry), out _);
            }
        }
    }

    private async Task RunAsync(Lane lane, Running running)
    {
        QueuedAlertWork entry = running.Entry;
        AlertWorkItem item = entry.Item!;

        // One span per piece of work, and its alert and conversation on every line it logs.
        using Activity? span = BotTelemetry.Source.StartActivity(BotTelemetry.DispatchSpan);
        span?.SetTag("teamsalertbot.work.kind", item.Kind.ToString());
        span?.SetTag("teamsalertbot.work.attempt", entry.DeliveryCount);
        span?.SetTag(BotTelemetry.AlertIdTag, item.AlertId);
        span?.SetTag(BotTelemetry.ConversationIdTag, item.ConversationId);
        using IDisposable? scope = logger.BeginScope(WorkScope.For(item.AlertId, item.ConversationId));
        TimeSpan cooling = lane.CoolingUntil - time.GetUtcNow();
        if (cooling > TimeSpan.Zero)
        {
            if (cooling > options.Value.ReclaimAfter)
            {
                // The conversation keeps failing: its queued work goes back to the stream for later
                // (and counts as an attempt) instead of holding this instance's read-ahead.
                await FailAsync(entry, $"not tried: the conversation keeps failing ({lane.LastFailure})");
                return;
            }

            // It failed a moment ago: wait out the short cool-down, then go on in order.
            await Task.Delay(cooling, time, _stopping);
        }

        WorkResult result = await HandleAsync(running);

        // A source the work reads (Graph) failed before anything was sent: wait a little in place
        // rather than spend one of the work's counted attempts on someone else's hiccup.
        for (int pause = 1; result is { Outcome: WorkOutcome.Retry, Upstream: true } && pause <= UpstreamPauses; pause++)
        {
            TimeSpan wait = work.DelayAfter(pause);
            await Task.Delay(wait < options.Value.ReclaimAfter / 2 ? wait : options.Value.ReclaimAfter / 2, time, _stopping);
            result = await HandleAsync(running);
        }

        switch (result.Outcome)
        {
            case WorkOutcome.Done:
                lane.Failures = 0;
                await work.AcknowledgeAsync(entry);
                break;
            case WorkOutcome.GiveUp:
                span?.SetStatus(ActivityStatusCode.Error, "dead letter");
                await work.DeadLetterAsync(entry, result.Reason ?? "given up");
                break;
            default:
                span?.SetStatus(ActivityStatusCode.Error, "retry");
                LogRetrying(logger, item.Kind.ToString(), item.AlertId, item.ConversationId, entry.DeliveryCount, result.Reason);
                if (result.ConversationFailing)
                {
                    lane.Failures++;
                    lane.LastFailure = result.Reason;
                    lane.CoolingUntil = time.GetUtcNow() + work.DelayAfter(lane.Failures);
                }

                await FailAsync(entry, result.Reason ?? "failed");
                break;
        }
    }

    /// <summary>How often work waits in place for its source before its attempt counts as failed.</summary>
    private const int UpstreamPauses = 3;

    private async Task<WorkResult> HandleAsync(Running running)
    {
        QueuedAlertWork entry = running.Entry;
        AlertWorkItem item = entry.Item!;
        await _senders.WaitAsync(_stopping);
        try
        {
            bool lastAttempt = entry.DeliveryCount >= options.Value.Delivery.MaxAttempts;
            return item.Kind switch
            {
                AlertWorkKind.Post => await publisher.PostAsync(item, lastAttempt, running.Held, _stopping),
                AlertWorkKind.Update => await publisher.UpdateAsync(item.AlertId!, _stopping),
                AlertWorkKind.Reply => await replies.SendAsync(item, _stopping),
                AlertWorkKind.Notice => await notices.NotifyAsync(item, _stopping),
                _ => WorkResult.Done,
            };
        }
        finally
        {
            _senders.Release();
        }
    }

    private Task<bool> FailAsync(QueuedAlertWork entry, string reason) => work.FailAsync(entry, reason);

    /// <summary>Keeps what this instance holds: its stream entries and the delivery slots of running sends.</summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ReclaimAfter / 3, time, stoppingToken);
                Running[] held = [.. _inFlight.Values];
                if (held.Length == 0)
                {
                    continue;
                }

                await work.HeartbeatAsync(ConsumerName, held.Select(r => r.Entry));
                DateTimeOffset now = time.GetUtcNow();
                foreach (DeliverySlot slot in held.SelectMany(r => r.Held.Current))
                {
                    await deliveries.RenewAsync(slot, publisher.InstanceId, now, options.Value.ReclaimAfter);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogHeartbeatFailed(logger, e);
            }
        }
    }

    /// <summary>Entry ids are unique within one stream only: the partition is part of the key.</summary>
    private static string InFlightKey(QueuedAlertWork entry) => $"{entry.Partition}/{entry.EntryId}";

    /// <summary>An entry this instance holds, and the delivery slots its send holds.</summary>
    private sealed record Running(QueuedAlertWork Entry)
    {
        public HeldSlots Held { get; } = new();
    }

    /// <summary>The work of one conversation (or one alert's edits), done one at a time.</summary>
    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        public Queue<Running> Pending { get; } = new();

        public bool Active { get; set; }

        public int Failures { get; set; }

        public string? LastFailure { get; set; }

        public DateTimeOffset CoolingUntil { get; set; }
    }

    [LoggerMessage(4200, LogLevel.Error, "Reading alert work failed; it is tried again")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(4201, LogLevel.Error, "{Kind} work (alert {AlertId}, conversation {ConversationId}) failed; it is retried after its backoff")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, string? kind, string? alertId, string? conversationId);

    [LoggerMessage(4203, LogLevel.Warning, "{Kind} work (alert {AlertId}, conversation {ConversationId}) attempt {Attempt} did not finish: {Reason}; it is retried after its backoff")]
    private static partial void LogRetrying(ILogger logger, string kind, string? alertId, string? conversationId, long attempt, string? reason);

    [LoggerMessage(4204, LogLevel.Debug, "Entry {EntryId} was read again while this instance still holds it")]
    private static partial void LogAlreadyHeld(ILogger logger, string entryId);

    [LoggerMessage(4202, LogLevel.Warning, "Renewing this instance's hold on its work failed; another instance may take it over")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
