namespace TeamsAlertBot.Digest;

/// <summary>
/// A background loop on the schedule clock, shaped like the alert poller: run once, log a failure
/// without stopping the host, wait, until shutdown. Every instance runs it; what must happen once
/// is decided in Redis by the run itself.
/// </summary>
public abstract class ScheduledLoop(TimeProvider time) : BackgroundService
{
    /// <summary>The schedule clock.</summary>
    protected TimeProvider Clock { get; } = time;

    /// <summary>One run: does what is due now; returns how many messages this instance sent.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>How long to wait after a run that ended at <paramref name="now"/>.</summary>
    protected abstract TimeSpan DelayAfterRun(DateTimeOffset now);

    /// <summary>Logs a run that failed (the next run retries).</summary>
    protected abstract void OnRunFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                OnRunFailed(e);
            }

            try
            {
                TimeSpan delay = DelayAfterRun(Clock.GetUtcNow());
                await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(1), Clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }
}

/// <summary>
/// The clock of the daily summary and the SLA reminders: a keyed <see cref="TimeProvider"/> that is
/// the host's clock in production, so tests can run these schedules on a fake clock without
/// freezing the rest of the bot (send limits, token lifetimes, the poller).
/// </summary>
public static class ScheduleClock
{
    /// <summary>The service key of the clock.</summary>
    public const string Key = "TeamsAlertBot.Schedules";
}
