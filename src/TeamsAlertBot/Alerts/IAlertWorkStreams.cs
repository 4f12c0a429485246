namespace TeamsAlertBot.Alerts;

/// <summary>
/// The durable work of the pipeline, in partitions (<see cref="State.RedisKeys.WorkPartitions"/>). An entry
/// stays pending until its work is done; a consumer that is still at it says so (<see cref="HeartbeatAsync"/>);
/// an entry that failed, or whose consumer went quiet, is taken over after a backoff that doubles with every
/// attempt; after <see cref="DeliveryOptions.MaxAttempts"/> attempts, or at once when it cannot be read, it
/// moves to the dead letters. Done entries are deleted, so the backlog holds only unfinished work.
/// <see cref="RedisAlertWorkStreams"/> keeps it in Redis streams (shared by every instance);
/// <see cref="InMemoryAlertWorkStreams"/> in this process (one instance only).
/// </summary>
public interface IAlertWorkStreams
{
    /// <summary>
    /// The first sight of an alert: marks it seen and queues a Post for each of
    /// <paramref name="conversations"/> in one atomic step. True exactly once per alert, whichever
    /// instance or overlapping poll gets there first; later sights keep the marker alive.
    /// </summary>
    Task<bool> FirstSightAsync(string alertId, IReadOnlyList<string> conversations, bool verify, bool storm = false);

    /// <summary>Marks an alert seen without queuing it (it is listed, not posted); true if it was new.</summary>
    Task<bool> MarkSeenAsync(string alertId);

    /// <summary>Queues work for the dispatchers.</summary>
    Task EnqueueAsync(AlertWorkItem item);

    /// <summary>
    /// Work for <paramref name="consumer"/>, at most <paramref name="count"/> entries: first entries whose
    /// last attempt failed (or whose consumer went quiet) and whose backoff is over, then new ones. Entries
    /// past their last attempt, and entries that cannot be read, go to the dead letters instead.
    /// </summary>
    Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count) => ReadAsync(consumer, count, static (_, _) => false);

    /// <inheritdoc cref="ReadAsync(string, int)"/>
    /// <param name="consumer">This dispatcher.</param>
    /// <param name="count">The most entries to take.</param>
    /// <param name="held">Whether this dispatcher still runs the entry (partition, entry id): never taken over from itself.</param>
    Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count, Func<int, string, bool> held);

    /// <summary>Tells the others that <paramref name="consumer"/> is still working on <paramref name="entries"/>, so nobody takes them over.</summary>
    Task HeartbeatAsync(string consumer, IEnumerable<QueuedAlertWork> entries);

    /// <summary>The work is done: the entry leaves the stream.</summary>
    Task AcknowledgeAsync(QueuedAlertWork entry);

    /// <summary>
    /// An attempt failed: the entry stays pending and is tried again after its backoff — or, when this
    /// was its last attempt, it moves to the dead letters. True when it moved.
    /// </summary>
    Task<bool> FailAsync(QueuedAlertWork entry, string reason);

    /// <summary>Moves the entry to the dead letters with <paramref name="reason"/>; a card's notice is queued in the same step.</summary>
    Task DeadLetterAsync(QueuedAlertWork entry, string reason);

    /// <summary>The newest dead letters (at most <paramref name="max"/>), newest first.</summary>
    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max);

    /// <summary>How many dead letters there are.</summary>
    Task<long> DeadLetterCountAsync();

    /// <summary>Queues every dead letter again as fresh work; returns how many.</summary>
    Task<int> RetryDeadLettersAsync();

    /// <summary>Work queued and not yet done.</summary>
    Task<long> BacklogAsync();

    /// <summary>The wait after <paramref name="failures"/> failures in a row: doubling from RetryDelay up to MaxRetryDelay.</summary>
    TimeSpan DelayAfter(long failures);

    /// <summary>When pending work is due again after <paramref name="attempts"/> attempts: <see cref="DelayAfter"/>, never sooner than ReclaimAfter.</summary>
    TimeSpan BackoffAfter(long attempts);
}

/// <summary>The retry arithmetic both work stores share.</summary>
internal static class WorkBackoff
{
    public static TimeSpan DelayAfter(AlertPipelineOptions settings, long failures)
    {
        DeliveryOptions delivery = settings.Delivery;
        double factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(delivery.RetryDelay.Ticks * factor, delivery.MaxRetryDelay.Ticks));
    }

    public static TimeSpan BackoffAfter(AlertPipelineOptions settings, long attempts)
    {
        TimeSpan backoff = DelayAfter(settings, attempts);
        return backoff < settings.ReclaimAfter ? settings.ReclaimAfter : backoff;
    }

    /// <summary>A failure reason as kept with the work (bounded).</summary>
    public static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
