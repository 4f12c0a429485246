using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Alerts;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Dashboard;

/// <summary>How an alert changed, as the dashboard's live events say it.</summary>
public enum AlertChangeKind
{
    /// <summary>First seen by the poller (its cards are on their way).</summary>
    New,

    /// <summary>A verdict was recorded (a card button, the page, a bulk run).</summary>
    Decided,

    /// <summary>Changed elsewhere (Partner Center, another tool), seen by the poller.</summary>
    Updated,
}

/// <summary>
/// Where the bot says that alerts changed: the poller (new, updated), single triage and bulk runs
/// (decided, bulk progress). Never throws and never waits for the listeners: a live page is a nicety,
/// the card pipeline must not slow down for it.
/// </summary>
public interface IAlertChangeFeed
{
    /// <summary>An alert changed.</summary>
    void Publish(string alertId, AlertChangeKind change);

    /// <summary>A verdict was recorded in Graph: published as <see cref="AlertChangeKind.Decided"/>, and the first one per alert kept for the time-to-verdict figures.</summary>
    Task DecidedAsync(PartnerSecurityAlert alert, TriageVerdict verdict, DateTimeOffset decidedAt);

    /// <summary>A bulk run's progress.</summary>
    void PublishBulk(string runId, int updated, int total, bool done);
}

/// <summary>One server-sent event: its name and its JSON data.</summary>
public sealed record DashboardEvent(string Name, string Data);

/// <summary>
/// The alert-change feed. With Redis (<c>Redis:ConnectionString</c>) every event goes over Redis pub/sub
/// (channel <c>{prefix}dashboard:events</c>; classic pub/sub, which a cluster broadcasts to every node) and
/// each instance fans what it receives out to its own streams, its own events included; without Redis the
/// fan-out is in this process. Each stream has a bounded buffer that drops its oldest events when a reader
/// falls behind, and one instance serves at most <see cref="DashboardOptions.MaxEventStreams"/> streams.
/// </summary>
public sealed partial class AlertChangeFeed(
    IServiceProvider services,
    IVerdictIndex verdicts,
    IOptions<DashboardOptions> options,
    ILogger<AlertChangeFeed> logger) : IAlertChangeFeed, IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<long, Channel<DashboardEvent>> _streams = new();
    private long _nextStream;
    private ISubscriber? _subscriber;
    private RedisChannel _channel;

    /// <summary>Raised for every alert event this instance receives (its own and other instances'): caches drop what they hold.</summary>
    public event Action? Changed;

    /// <summary>Streams open on this instance now.</summary>
    public int OpenStreams => _streams.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return;
        }

        _channel = RedisChannel.Literal($"{services.GetRequiredService<RedisKeys>().Prefix}dashboard:events");
        _subscriber = redis.GetSubscriber();
        try
        {
            await _subscriber.SubscribeAsync(_channel, (_, message) => Deliver(Parse(message)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes when Redis is back.
            LogSubscribeFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (Channel<DashboardEvent> stream in _streams.Values)
        {
            stream.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Publish(string alertId, AlertChangeKind change) =>
        Send(new DashboardEvent("alert", JsonSerializer.Serialize(new AlertEventData(alertId, ChangeName(change)), Json)));

    /// <inheritdoc />
    public async Task DecidedAsync(PartnerSecurityAlert alert, TriageVerdict verdict, DateTimeOffset decidedAt)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Publish(alert.Id, AlertChangeKind.Decided);
        if (alert.DetectedDateTime is not { } detected)
        {
            return;
        }

        try
        {
            await verdicts.RecordAsync(new VerdictEntry(alert.Id, alert.AlertType, alert.CustomerTenantId, detected, decidedAt, verdict.ToString()));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            LogVerdictNotIndexed(logger, e, alert.Id);
        }
    }

    /// <inheritdoc />
    public void PublishBulk(string runId, int updated, int total, bool done) =>
        Send(new DashboardEvent("bulk", JsonSerializer.Serialize(new BulkEventData(runId, updated, total, done), Json)));

    /// <summary>A new stream's reader, or null when this instance serves as many as it may.</summary>
    public EventSubscription? TryOpen()
    {
        DashboardOptions settings = options.Value;
        if (_streams.Count >= settings.MaxEventStreams)
        {
            return null;
        }

        long id = Interlocked.Increment(ref _nextStream);
        Channel<DashboardEvent> channel = Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(settings.EventBufferPerStream)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _streams[id] = channel;
        return new EventSubscription(channel.Reader, () =>
        {
            _streams.TryRemove(id, out _);
            channel.Writer.TryComplete();
        });
    }

    internal static string ChangeName(AlertChangeKind change) => change switch
    {
        AlertChangeKind.New => "new",
        AlertChangeKind.Decided => "decided",
        _ => "updated",
    };

    private void Send(DashboardEvent evt)
    {
        if (_subscriber is null)
        {
            Deliver(evt);
            return;
        }

        try
        {
            _subscriber.Publish(_channel, $"{evt.Name}\n{evt.Data}", CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, e, evt.Name);
        }
    }

    private void Deliver(DashboardEvent? evt)
    {
        if (evt is null)
        {
            return;
        }

        if (evt.Name == "alert")
        {
            Changed?.Invoke();
        }

        foreach (Channel<DashboardEvent> stream in _streams.Values)
        {
            stream.Writer.TryWrite(evt);
        }
    }

    private static DashboardEvent? Parse(RedisValue message)
    {
        string text = message.ToString();
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline <= 0 ? null : new DashboardEvent(text[..newline], text[(newline + 1)..]);
    }

    private sealed record AlertEventData(string Id, string Change);

    private sealed record BulkEventData(string RunId, int Updated, int Total, bool Done);

    [LoggerMessage(6300, LogLevel.Warning, "The dashboard's live events could not subscribe to Redis pub/sub; the multiplexer retries when Redis is back")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(6301, LogLevel.Warning, "A dashboard live event ({EventName}) could not be published over Redis")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string eventName);

    [LoggerMessage(6302, LogLevel.Warning, "The first verdict of {AlertId} could not be added to the time-to-verdict index")]
    private static partial void LogVerdictNotIndexed(ILogger logger, Exception exception, string alertId);
}

/// <summary>One open event stream: its events, and how to close it (frees its place and buffer).</summary>
public sealed class EventSubscription(ChannelReader<DashboardEvent> reader, Action close) : IDisposable
{
    private int _closed;

    public ChannelReader<DashboardEvent> Reader { get; } = reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            close();
        }
    }
}
