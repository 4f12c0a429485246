using System.Globalization;
using Microsoft.Extensions.Options;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IAlertWorkStreams"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only). It
/// keeps what the Redis streams and their consumer group keep — per partition the unfinished entries, who
/// holds each, how often it was handed out and when it was last claimed or renewed, the reason of its last
/// failure, and the dead letters — and decides under the keyspace's lock what <see cref="RedisAlertWorkStreams"/>
/// decides with XREADGROUP, XCLAIM and its scripts: the same backoff, takeover, attempt limit and notices.
/// </summary>
public sealed partial class InMemoryAlertWorkStreams(
    InMemoryKeyspace space,
    RedisKeys keys,
    IOptions<AlertPipelineOptions> options,
    ILogger<InMemoryAlertWorkStreams> logger) : IAlertWorkStreams
{
    /// <summary>A bound on each partition's dead letters (the oldest go first), as in Redis.</summary>
    private const int MaxDeadLetters = 10_000;

    private long _lastId;

    private AlertPipelineOptions Settings => options.Value;

    /// <inheritdoc />
    public Task<bool> FirstSightAsync(string alertId, IReadOnlyList<string> conversations, bool verify, bool storm = false)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return Task.FromResult(space.Atomic(step =>
        {
            if (!step.SetIfAbsent(keys.AlertSeen(alertId), "1", Settings.StateRetention))
            {
                step.Expire(keys.AlertSeen(alertId), Settings.StateRetention);
                return false;
            }

            Partition partition = PartitionOf(step, RedisKeys.PartitionOf(alertId));
            foreach (string conversation in conversations)
            {
                Add(partition, new AlertWorkItem { Kind = AlertWorkKind.Post, AlertId = alertId, ConversationId = conversation, Verify = verify, Storm = storm }, step.Now);
            }

            return true;
        }));
    }

    /// <inheritdoc />
    public Task<bool> MarkSeenAsync(string alertId) => Task.FromResult(space.Atomic(step =>
        step.SetIfAbsent(keys.AlertSeen(alertId), "1", Settings.StateRetention) || !step.Expire(keys.AlertSeen(alertId), Settings.StateRetention)));

    /// <inheritdoc />
    public Task EnqueueAsync(AlertWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        space.Atomic(step => Add(PartitionOf(step, RedisKeys.PartitionOf(item.PartitionKey)), item, step.Now));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count, Func<int, string, bool> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        List<(QueuedAlertWork Entry, string Reason)> dead = [];
        List<QueuedAlertWork> work = space.Atomic(step =>
        {
            List<QueuedAlertWork> taken = [];
            for (int index = 0; index < RedisKeys.WorkPartitions && taken.Count < count; index++)
            {
                Partition partition = PartitionOf(step, index);
                partition.Seen[consumer] = step.Now;
                Reclaim(partition, index, consumer, count, held, taken, dead, step.Now);
                foreach (Entry entry in partition.Entries.Values.Where(e => e.Owner is null).ToList())
                {
                    if (taken.Count >= count)
                    {
                        break;
                    }

                    Hand(entry, consumer, step.Now);
                    Accept(partition, index, entry, taken, dead, step.Now);
                }
            }

            return taken;
        });

        foreach ((QueuedAlertWork entry, string reason) in dead)
        {
            LogDeadLettered(logger, entry.Item?.Kind.ToString() ?? "malformed", entry.Item?.AlertId, entry.Item?.ConversationId, entry.DeliveryCount, reason);
        }

        return Task.FromResult<IReadOnlyList<QueuedAlertWork>>(work);
    }

    /// <inheritdoc />
    public Task HeartbeatAsync(string consumer, IEnumerable<QueuedAlertWork> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        space.Atomic(step =>
        {
            foreach (QueuedAlertWork queued in entries)
            {
                Partition partition = PartitionOf(step, queued.Partition);
                partition.Seen[consumer] = step.Now;
                if (partition.Entries.TryGetValue(queued.EntryId, out Entry? entry) && entry.Owner is not null)
                {
                    // Like XCLAIM … JUSTID by the owner: the idle time starts again, no delivery is counted.
                    entry.Owner = consumer;
                    entry.ClaimedAt = step.Now;
                }
            }
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(QueuedAlertWork entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        space.Atomic(step => PartitionOf(step, entry.Partition).Entries.Remove(entry.EntryId));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<bool> FailAsync(QueuedAlertWork entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.DeliveryCount >= Settings.Delivery.MaxAttempts)
        {
            await DeadLetterAsync(entry, reason);
            return true;
        }

        space.Atomic(step =>
        {
            if (PartitionOf(step, entry.Partition).Entries.TryGetValue(entry.EntryId, out Entry? stored))
            {
                stored.Error = WorkBackoff.Truncate(reason);
            }
        });
        return false;
    }

    /// <inheritdoc />
    public Task DeadLetterAsync(QueuedAlertWork entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        space.Atomic(step =>
        {
            Partition partition = PartitionOf(step, entry.Partition);
            AlertWorkItem? item = partition.Entries.TryGetValue(entry.EntryId, out Entry? stored) ? stored.Item : entry.Item;
            Bury(partition, entry, item, reason, step.Now);
        });
        LogDeadLettered(logger, entry.Item?.Kind.ToString() ?? "malformed", entry.Item?.AlertId, entry.Item?.ConversationId, entry.DeliveryCount, reason);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max) => Task.FromResult<IReadOnlyList<DeadLetter>>(space.Atomic(step =>
        Enumerable.Range(0, RedisKeys.WorkPartitions)
            .SelectMany(p => PartitionOf(step, p).DeadLetters)
            .OrderByDescending(l => l.At)
            .Take(max)
            .ToList()));

    /// <inheritdoc />
    public Task<long> DeadLetterCountAsync() => Task.FromResult(space.Atomic(step =>
        (long)Enumerable.Range(0, RedisKeys.WorkPartitions).Sum(p => PartitionOf(step, p).DeadLetters.Count)));

    /// <inheritdoc />
    public Task<int> RetryDeadLettersAsync() => Task.FromResult(space.Atomic(step =>
    {
        int retried = 0;
        for (int index = 0; index < RedisKeys.WorkPartitions; index++)
        {
            Partition partition = PartitionOf(step, index);
            foreach (DeadLetter letter in partition.DeadLetters.Where(l => l.Item is not null).ToList())
            {
                Add(partition, letter.Item!, step.Now);
                partition.DeadLetters.Remove(letter);
                retried++;
            }
        }

        return retried;
    }));

    /// <inheritdoc />
    public Task<long> BacklogAsync() => Task.FromResult(space.Atomic(step =>
        (long)Enumerable.Range(0, RedisKeys.WorkPartitions).Sum(p => PartitionOf(step, p).Entries.Count)));

    /// <inheritdoc />
    public TimeSpan DelayAfter(long failures) => WorkBackoff.DelayAfter(Settings, failures);

    /// <inheritdoc />
    public TimeSpan BackoffAfter(long attempts) => WorkBackoff.BackoffAfter(Settings, attempts);

    private Partition PartitionOf(InMemoryKeyspace.View step, int index) => step.Structure(keys.Work(index), () => new Partition())!;

    private void Add(Partition partition, AlertWorkItem item, DateTimeOffset now)
    {
        string id = NextId(now);
        partition.Entries[id] = new Entry(id, item);
    }

    /// <summary>Ids shaped like stream ids (milliseconds-sequence), increasing within the process.</summary>
    private string NextId(DateTimeOffset now)
    {
        long id = Math.Max(now.ToUnixTimeMilliseconds() * 1000, _lastId + 1);
        _lastId = id;
        return string.Create(CultureInfo.InvariantCulture, $"{id / 1000}-{id % 1000}");
    }

    private static void Hand(Entry entry, string consumer, DateTimeOffset now)
    {
        entry.Owner = consumer;
        entry.Deliveries++;
        entry.ClaimedAt = now;
    }

    /// <summary>
    /// Takes over due work: this consumer's own failed entries, and the entries of every consumer that
    /// went quiet — each only when its backoff is over, and never what this consumer still runs.
    /// </summary>
    private void Reclaim(Partition partition, int index, string consumer, int count, Func<int, string, bool> held, List<QueuedAlertWork> work, List<(QueuedAlertWork, string)> dead, DateTimeOffset now)
    {
        foreach (Entry entry in partition.Entries.Values.Where(e => e.Owner is not null).ToList())
        {
            if (work.Count >= count)
            {
                return;
            }

            bool self = entry.Owner == consumer;
            bool quiet = now - partition.Seen.GetValueOrDefault(entry.Owner!) >= Settings.ReclaimAfter;
            if ((!self && !quiet) || now - entry.ClaimedAt < BackoffAfter(entry.Deliveries) || (self && held(index, entry.Id)))
            {
                continue;
            }

            Hand(entry, consumer, now);
            Accept(partition, index, entry, work, dead, now);
        }
    }

    private void Accept(Partition partition, int index, Entry entry, List<QueuedAlertWork> work, List<(QueuedAlertWork, string)> dead, DateTimeOffset now)
    {
        var queued = new QueuedAlertWork(entry.Id, index, entry.Item.IsWellFormed ? entry.Item : null, entry.Deliveries);
        string? reason = queued.Item is null ? "malformed entry"
            : entry.Deliveries > Settings.Delivery.MaxAttempts ? $"{Settings.Delivery.MaxAttempts} attempts failed: {entry.Error ?? "no answer"}"
            : null;
        if (reason is null)
        {
            work.Add(queued);
            return;
        }

        Bury(partition, queued, entry.Item, reason, now);
        dead.Add((queued, reason));
    }

    /// <summary>Moves an entry to the dead letters; a card's notice to its conversation is queued in the same step.</summary>
    private void Bury(Partition partition, QueuedAlertWork entry, AlertWorkItem? item, string reason, DateTimeOffset now)
    {
        string truncated = WorkBackoff.Truncate(reason);
        partition.Entries.Remove(entry.EntryId);
        partition.DeadLetters.Add(new DeadLetter(NextId(now), entry.Partition, item is { IsWellFormed: true } ? item : null, truncated, now));
        if (partition.DeadLetters.Count > MaxDeadLetters)
        {
            partition.DeadLetters.RemoveAt(0);
        }

        if (item is { Kind: AlertWorkKind.Post, AlertId: { } alertId, ConversationId: { } conversationId } && item.IsWellFormed)
        {
            Add(partition, new AlertWorkItem { Kind = AlertWorkKind.Notice, AlertId = alertId, ConversationId = conversationId, Payload = truncated, Attempts = entry.DeliveryCount }, now);
        }
    }

    /// <summary>One partition: its unfinished entries in order, its dead letters, and when each consumer was last heard of.</summary>
    private sealed class Partition
    {
        public SortedDictionary<string, Entry> Entries { get; } = new(Comparer<string>.Create(CompareIds));

        public List<DeadLetter> DeadLetters { get; } = [];

        public Dictionary<string, DateTimeOffset> Seen { get; } = new(StringComparer.Ordinal);

        private static int CompareIds(string a, string b) => Key(a).CompareTo(Key(b));

        private static (long, long) Key(string id)
        {
            int dash = id.IndexOf('-', StringComparison.Ordinal);
            return (long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
        }
    }

    private sealed class Entry(string id, AlertWorkItem item)
    {
        public string Id { get; } = id;

        public AlertWorkItem Item { get; } = item;

        /// <summary>The consumer holding it; null until it is first handed out.</summary>
        public string? Owner { get; set; }

        public long Deliveries { get; set; }

        public DateTimeOffset ClaimedAt { get; set; }

        public string? Error { get; set; }
    }

    [LoggerMessage(4212, LogLevel.Error, "Gave up on {Kind} work (alert {AlertId}, conversation {ConversationId}) after {Attempts} deliveries: {Reason}; it is in the dead letters")]
    private static partial void LogDeadLettered(ILogger logger, string kind, string? alertId, string? conversationId, long attempts, string reason);
}
