using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.BotFramework.Diagnostics;

namespace TeamsAlertBot.Diagnostics;

/// <summary>
/// The backlog gauge (<c>teamsalertbot.work.backlog</c>): queued work not yet done, across every
/// instance. A gauge is read synchronously by the exporter, so the count is taken from Redis on a timer
/// (<see cref="TelemetryOptions.BacklogInterval"/>) and the gauge reports the latest one. Registered
/// where the alert pipeline runs.
/// </summary>
internal sealed partial class BacklogGauge(
    IAlertWorkStreams work,
    IMeterFactory meters,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<BacklogGauge> logger) : BackgroundService
{
    private long _backlog = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A meter of this host's (disposed with it), so a stopped host's callback is not kept alive.
        Meter meter = meters.Create(BotTelemetry.Name);
        meter.CreateObservableGauge(
            "teamsalertbot.work.backlog",
            ObserveBacklog,
            "{item}",
            "Queued work (cards, edits, replies, notices) not yet done, all instances together");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Interlocked.Exchange(ref _backlog, await work.BacklogAsync());
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogCountFailed(logger, e);
            }

            try
            {
                await Task.Delay(options.Value.BacklogInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        long backlog = Interlocked.Read(ref _backlog);
        return backlog < 0 ? [] : [new Measurement<long>(backlog)];
    }

    [LoggerMessage(9001, LogLevel.Debug, "Counting the queued work for the backlog gauge failed; the next count retries")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
