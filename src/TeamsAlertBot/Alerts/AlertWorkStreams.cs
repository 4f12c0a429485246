using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// The durable work of the pipeline: Redis streams, one per partition (<see cref="RedisKeys.WorkPartitions"/>),
/// read by the dispatchers' consumer group. An entry stays pending until its work is done; a consumer
/// that is still at it says so (<see cref="HeartbeatAsync"/>); an entry that failed, or whose consumer
/// died, is taken over after a backoff that doubles with every attempt; after
/// <see cref="DeliveryOptions.MaxAttempts"/> attempts, or at once when it cannot be read, it moves to the
/// partition's dead-letter stream. Done entries are deleted, so a stream holds only unfinished work.
/// Only commands of Redis 5.0 are used (no XAUTOCLAIM: XPENDING and XCLAIM), and every script touches
/// one partition's keys, which share a hash slot.
/// </summary>
public sealed partial class AlertWorkStreams(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<AlertWorkStreams> logger)
{
    /// <summary>The consumer group of the dispatchers.</summary>
    public const string DispatcherGroup = "dispatchers";

    /// <summary>A safety bound on a stream's length (done work is deleted; this only bounds a runaway).</summary>
    private const int MaxStreamLength = 100_000;

    /// <summary>A bound on each partition's dead letters (the oldest go first).</summary>
    private const int MaxDeadLetters = 10_000;

    // KEYS[1] seen marker, KEYS[2] stream; ARGV[1] retention ms, ARGV[2] alert id, ARGV[3] verify flag,
    // ARGV[4] storm flag, ARGV[5..] the conversations to post to. First sight marks the alert and queues one Post per
    // conversation in one step: a crash can neither lose it (seen, not queued) nor queue it twice.
    // A second sight only keeps the marker alive while the alert is open.
    private const string FirstSightScript = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
          for i = 5, #ARGV do
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', '100000', '*', 'kind', 'Post', 'alert', ARGV[2], 'conv', ARGV[i], 'verify', ARGV[3], 'storm', ARGV[4])
          end
          return 1
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 0
        """;

    // KEYS[1] stream, KEYS[2] errors; ARGV[1] entry id.
    private const string AcknowledgeScript = """
        redis.call('XACK', KEYS[1], 'dispatchers', ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
        """;

    // KEYS[1] stream, KEYS[2] errors, KEYS[3] dead letters; ARGV[1] entry id, ARGV[2] reason, ARGV[3] time (ISO),
    // ARGV[4] attempts, ARGV[5] alert and ARGV[6] conversation of a card (empty otherwise). The entry's fields
    // travel with it, so a retry can queue it again as it was; a card's notice is queued in the same step.
    private const string DeadLetterScript = """
        local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        local fields = {}
        if entry[1] then fields = entry[1][2] end
        local args = {KEYS[3], 'MAXLEN', '~', '10000', '*', 'reason', ARGV[2], 'at', ARGV[3], 'entry', ARGV[1]}
        for i = 1, #fields do args[#args + 1] = fields[i] end
        redis.call('XADD', unpack(args))
        redis.call('XACK', KEYS[1], 'dispatchers', ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        if ARGV[5] ~= '' then
          redis.call('XADD', KEYS[1], 'MAXLEN', '~', '100000', '*', 'kind', 'Notice', 'alert', ARGV[5], 'conv', ARGV[6], 'payload', ARGV[2], 'attempts', ARGV[4])
        end
        return 1
        """;

    // KEYS[1] dead letters, KEYS[2] stream; ARGV[1] dead letter id. Queues the work again, fresh.
    private const string RetryScript = """
        local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if not entry[1] then return 0 end
        local fields = entry[1][2]
        local args = {KEYS[2], 'MAXLEN', '~', '100000', '*'}
        for i = 1, #fields, 2 do
          local name = fields[i]
          if name ~= 'reason' and name ~= 'at' and name ~= 'entry' then
            args[#args + 1] = name
            args[#args + 1] = fields[i + 1]
          end
        end
        if #args == 5 then return 0 end
        redis.call('XADD', unpack(args))
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;

    private readonly bool[] _groupReady = new bool[RedisKeys.WorkPartitions];
    private readonly DateTimeOffset[] _reclaimedAt = new DateTimeOffset[RedisKeys.WorkPartitions];
    private int _nextPartition;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// The first sight of an alert: marks it seen and queues a Post for each of
    /// <paramref name="conversations"/> in one atomic step. True exactly once per alert, whichever
    /// instance or overlapping poll gets there first; later sights keep the marker alive.
    /// </summary>
    public async Task<bool> FirstSightAsync(string alertId, IReadOnlyList<string> conversations, bool verify, bool storm = false)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        RedisValue[] args = [(long)Retention.TotalMilliseconds, alertId, verify ? "1" : "0", storm ? "1" : "0", .. conversations.Select(c => (RedisValue)c)];
        RedisResult result = await Db.ScriptEvaluateAsync(FirstSightScript, [keys.AlertSeen(alertId), keys.Work(RedisKeys.PartitionOf(alertId))], args);
        return (long)result == 1;
    }

    /// <summary>Marks an alert seen without queuing it (it is listed, not posted); true if it was new.</summary>
    public async Task<bool> MarkSeenAsync(string alertId)
    {
        RedisKey seen = keys.AlertSeen(alertId);
        if (await Db.StringSetAsync(seen, "1", Retention, When.NotExists))
        {
            return true;
        }

        await Db.KeyExpireAsync(seen, Retention);
        return false;
    }

    /// <summary>Queues work for the dispatchers.</summary>
    public Task EnqueueAsync(AlertWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Db.StreamAddAsync(keys.Work(RedisKeys.PartitionOf(item.PartitionKey)), Fields(item), maxLength: MaxStreamLength, useApproximateMaxLength: true);
    }

    /// <summary>
    /// Work for <paramref name="consumer"/>, at most <paramref name="count"/> entries: first entries whose
    /// last attempt failed (or whose consumer went quiet) and whose backoff is over, then new ones. Entries
    /// past their last attempt, and entries that cannot be read, go to the dead letters instead.
    /// </summary>
    public Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count) => ReadAsync(consumer, count, static (_, _) => false);

    /// <inheritdoc cref="ReadAsync(string, int)"/>
    /// <param name="consumer">This dispatcher.</param>
    /// <param name="count">The most entries to take.</param>
    /// <param name="held">Whether this dispatcher still runs the entry (partition, entry id): never taken over from itself.</param>
    public async Task<IReadOnlyList<QueuedAlertWork>> ReadAsync(string consumer, int count, Func<int, string, bool> held)
    {
        List<QueuedAlertWork> work = [];
        int first = Interlocked.Increment(ref _nextPartition);
        for (int i = 0; i < RedisKeys.WorkPartitions && work.Count < count; i++)
        {
            int partition = (int)((uint)(first + i) % RedisKeys.WorkPartitions);
            await WithGroupAsync(partition, async () =>
            {
                // Work is due for a takeover only after ReclaimAfter: looking a few times per period is enough.
                DateTimeOffset now = time.GetUtcNow();
                if (now - _reclaimedAt[partition] >= Settings.ReclaimAfter / 4)
                {
                    _reclaimedAt[partition] = now;
                    await ReclaimAsync(partition, consumer, count - work.Count, held, work);
                }

                if (work.Count < count)
                {
                    StreamEntry[] entries = await Db.StreamReadGroupAsync(keys.Work(partition), DispatcherGroup, consumer, StreamPosition.NewMessages, count - work.Count);
                    foreach (StreamEntry entry in entries.Where(e => !e.IsNull))
                    {
                        await AcceptAsync(new QueuedAlertWork(entry.Id!, partition, Parse(entry), 1), work);
                    }
                }
            });
        }

        return work;
    }

    /// <summary>Tells the group that <paramref name="consumer"/> is still working on <paramref name="entries"/>, so nobody takes them over.</summary>
    public async Task HeartbeatAsync(string consumer, IEnumerable<QueuedAlertWork> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (IGrouping<int, QueuedAlertWork> partition in entries.GroupBy(e => e.Partition))
        {
            // XCLAIM … JUSTID by the owner resets the idle time without counting a delivery.
            await WithGroupAsync(partition.Key, () => Db.StreamClaimIdsOnlyAsync(
                keys.Work(partition.Key), DispatcherGroup, consumer, 0, [.. partition.Select(e => (RedisValue)e.EntryId)]));
        }
    }

    /// <summary>The work is done: the entry leaves the stream.</summary>
    public Task AcknowledgeAsync(QueuedAlertWork entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WithGroupAsync(entry.Partition, () => Db.ScriptEvaluateAsync(
            AcknowledgeScript, [keys.Work(entry.Partition), keys.WorkErrors(entry.Partition)], [entry.EntryId]));
    }

    /// <summary>
    /// An attempt failed: the entry stays pending and is tried again after its backoff — or, when this
    /// was its last attempt, it moves to the dead letters. True when it moved.
    /// </summary>
    public async Task<bool> FailAsync(QueuedAlertWork entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.DeliveryCount >= Settings.Delivery.MaxAttempts)
        {
            await DeadLetterAsync(entry, reason);
            return true;
        }

        await Db.HashSetAsync(keys.WorkErrors(entry.Partition), entry.EntryId, Truncate(reason));
        return false;
    }

    /// <summary>Moves the entry to the dead letters with <paramref name="reason"/>.</summary>
    public async Task DeadLetterAsync(QueuedAlertWork entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        bool card = entry.Item is { Kind: AlertWorkKind.Post, AlertId: not null, ConversationId: not null };
        await WithGroupAsync(entry.Partition, () => Db.ScriptEvaluateAsync(
            DeadLetterScript,
            [keys.Work(entry.Partition), keys.WorkErrors(entry.Partition), keys.DeadLetters(entry.Partition)],
            [
                entry.EntryId, Truncate(reason), time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture), entry.DeliveryCount,
                card ? entry.Item!.AlertId : string.Empty, card ? entry.Item!.ConversationId : string.Empty,
            ]));
        LogDeadLettered(logger, entry.Item?.Kind.ToString() ?? "malformed", entry.Item?.AlertId, entry.Item?.ConversationId, entry.DeliveryCount, reason);
        BotFramework.Diagnostics.BotTelemetry.DeadLetters.Add(1, new KeyValuePair<string, object?>("teamsalertbot.work.kind", entry.Item?.Kind.ToString() ?? "malformed"));
    }

    /// <summary>The newest dead letters (at most <paramref name="max"/>), newest first.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int max)
    {
        List<DeadLetter> letters = [];
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            foreach (StreamEntry entry in await Db.StreamRangeAsync(keys.DeadLetters(partition), count: max, messageOrder: Order.Descending))
            {
                DateTimeOffset at = DateTimeOffset.TryParse(entry["at"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset parsed) ? parsed : DateTimeOffset.MinValue;
                letters.Add(new DeadLetter(entry.Id!, partition, Parse(entry), (string?)entry["reason"] ?? string.Empty, at));
            }
        }

        return [.. letters.OrderByDescending(l => l.At).Take(max)];
    }

    /// <summary>How many dead letters there are.</summary>
    public async Task<long> DeadLetterCountAsync()
    {
        long total = 0;
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            total += await Db.StreamLengthAsync(keys.DeadLetters(partition));
        }

        return total;
    }

    /// <summary>Queues every dead letter again as fresh work; returns how many.</summary>
    public async Task<int> RetryDeadLettersAsync()
    {
        int retried = 0;
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            foreach (StreamEntry entry in await Db.StreamRangeAsync(keys.DeadLetters(partition)))
            {
                retried += (int)(long)await Db.ScriptEvaluateAsync(RetryScript, [keys.DeadLetters(partition), keys.Work(partition)], [entry.Id]);
            }
        }

        return retried;
    }

    /// <summary>Work queued and not yet done (done entries are deleted, so this is the streams' length).</summary>
    public async Task<long> BacklogAsync()
    {
        long total = 0;
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            total += await Db.StreamLengthAsync(keys.Work(partition));
        }

        return total;
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row: doubling from RetryDelay up to MaxRetryDelay.</summary>
    public TimeSpan DelayAfter(long failures)
    {
        DeliveryOptions delivery = Settings.Delivery;
        double factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(delivery.RetryDelay.Ticks * factor, delivery.MaxRetryDelay.Ticks));
    }

    /// <summary>When pending work is due again after <paramref name="attempts"/> attempts: <see cref="DelayAfter"/>, never sooner than ReclaimAfter.</summary>
    public TimeSpan BackoffAfter(long attempts)
    {
        TimeSpan backoff = DelayAfter(attempts);
        return backoff < Settings.ReclaimAfter ? Settings.ReclaimAfter : backoff;
    }

    private AlertPipelineOptions Settings => options.Value;

    private TimeSpan Retention => Settings.StateRetention;

    /// <summary>
    /// Takes over due work: this consumer's own failed entries, and every entry of a consumer that went
    /// quiet (it died). Consumers are looked at one by one, so entries that live instances still hold
    /// never hide a dead one's. A consumer quiet for a day with nothing pending is removed from the group.
    /// </summary>
    private async Task ReclaimAsync(int partition, string consumer, int count, Func<int, string, bool> held, List<QueuedAlertWork> work)
    {
        RedisKey stream = keys.Work(partition);
        foreach (StreamConsumerInfo holder in await Db.StreamConsumerInfoAsync(stream, DispatcherGroup))
        {
            if (work.Count >= count)
            {
                return;
            }

            bool self = holder.Name == consumer;
            if (holder.PendingMessageCount == 0)
            {
                if (!self && holder.IdleTimeInMilliseconds > TimeSpan.FromDays(1).TotalMilliseconds)
                {
                    await Db.StreamDeleteConsumerAsync(stream, DispatcherGroup, holder.Name);
                }

                continue;
            }

            if (!self && holder.IdleTimeInMilliseconds < Settings.ReclaimAfter.TotalMilliseconds)
            {
                // Alive: it renews what it runs and takes back its own failures.
                continue;
            }

            StreamPendingMessageInfo[] pending = await Db.StreamPendingMessagesAsync(stream, DispatcherGroup, 100, holder.Name);
            foreach (StreamPendingMessageInfo candidate in pending)
            {
                if (work.Count >= count)
                {
                    return;
                }

                // Due when its backoff is over; XCLAIM checks the idle time again, so of several instances one wins.
                // Work this dispatcher still runs (its heartbeat was late, e.g. while Redis was away) is left alone:
                // taking it again would count an attempt that was never made.
                long minIdle = (long)BackoffAfter(candidate.DeliveryCount).TotalMilliseconds;
                if (candidate.IdleTimeInMilliseconds < minIdle || (self && held(partition, candidate.MessageId!)))
                {
                    continue;
                }

                StreamEntry[] claimed = await Db.StreamClaimAsync(stream, DispatcherGroup, consumer, minIdle, [candidate.MessageId]);
                if (claimed.Length == 0)
                {
                    continue;
                }

                if (claimed[0].IsNull)
                {
                    // Trimmed or deleted while pending: nothing left to do.
                    await AcknowledgeAsync(new QueuedAlertWork(candidate.MessageId!, partition, null, candidate.DeliveryCount + 1));
                    continue;
                }

                await AcceptAsync(new QueuedAlertWork(claimed[0].Id!, partition, Parse(claimed[0]), candidate.DeliveryCount + 1), work);
            }
        }
    }

    private async Task AcceptAsync(QueuedAlertWork entry, List<QueuedAlertWork> work)
    {
        if (entry.Item is null)
        {
            await DeadLetterAsync(entry, "malformed entry");
        }
        else if (entry.DeliveryCount > Settings.Delivery.MaxAttempts)
        {
            string? error = await Db.HashGetAsync(keys.WorkErrors(entry.Partition), entry.EntryId);
            await DeadLetterAsync(entry, $"{Settings.Delivery.MaxAttempts} attempts failed: {error ?? "no answer"}");
        }
        else
        {
            work.Add(entry);
        }
    }

    /// <summary>Runs a command on a partition, re-creating its consumer group first when it was lost (Redis lost its data).</summary>
    private async Task WithGroupAsync(int partition, Func<Task> command)
    {
        if (!_groupReady[partition])
        {
            await EnsureGroupAsync(partition);
        }

        try
        {
            await command();
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            LogGroupRecreated(logger, partition);
            await EnsureGroupAsync(partition);
            await command();
        }
    }

    private async Task EnsureGroupAsync(int partition)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(keys.Work(partition), DispatcherGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance made it first.
        }

        _groupReady[partition] = true;
    }

    private static NameValueEntry[] Fields(AlertWorkItem item) =>
    [
        new("kind", item.Kind.ToString()),
        .. item.AlertId is null ? Array.Empty<NameValueEntry>() : [new NameValueEntry("alert", item.AlertId)],
        .. item.ConversationId is null ? Array.Empty<NameValueEntry>() : [new NameValueEntry("conv", item.ConversationId)],
        .. item.Thread is null ? Array.Empty<NameValueEntry>() : [new NameValueEntry("thread", item.Thread)],
        .. item.Verify ? [new NameValueEntry("verify", "1")] : Array.Empty<NameValueEntry>(),
        .. item.Storm ? [new NameValueEntry("storm", "1")] : Array.Empty<NameValueEntry>(),
        .. item.Payload is null ? Array.Empty<NameValueEntry>() : [new NameValueEntry("payload", item.Payload)],
        .. item.Attempts == 0 ? Array.Empty<NameValueEntry>() : [new NameValueEntry("attempts", item.Attempts)],
    ];

    /// <summary>The work an entry holds, or null when it is not well-formed.</summary>
    internal static AlertWorkItem? Parse(StreamEntry entry)
    {
        if (!Enum.TryParse(entry["kind"], out AlertWorkKind kind) || !Enum.IsDefined(kind))
        {
            return null;
        }

        var item = new AlertWorkItem
        {
            Kind = kind,
            AlertId = NullIfEmpty(entry["alert"]),
            ConversationId = NullIfEmpty(entry["conv"]),
            Thread = NullIfEmpty(entry["thread"]),
            Verify = entry["verify"] == "1",
            Storm = entry["storm"] == "1",
            Attempts = long.TryParse((string?)entry["attempts"], CultureInfo.InvariantCulture, out long attempts) ? attempts : 0,
            Payload = NullIfEmpty(entry["payload"]),
        };
        return kind switch
        {
            AlertWorkKind.Post when item is { AlertId: not null, ConversationId: not null } => item,
            AlertWorkKind.Update when item.AlertId is not null => item,
            AlertWorkKind.Reply when item is { ConversationId: not null, Payload: not null } => item,
            AlertWorkKind.Notice when item is { AlertId: not null, ConversationId: not null } => item,
            _ => null,
        };
    }

    private static string? NullIfEmpty(RedisValue value) => value.IsNullOrEmpty ? null : (string?)value;

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";

    [LoggerMessage(4210, LogLevel.Error, "Gave up on {Kind} work (alert {AlertId}, conversation {ConversationId}) after {Attempts} deliveries: {Reason}; it is in the dead letters")]
    private static partial void LogDeadLettered(ILogger logger, string kind, string? alertId, string? conversationId, long attempts, string reason);

    [LoggerMessage(4211, LogLevel.Warning, "The consumer group of work partition {Partition} was gone (Redis lost its data?); made it again")]
    private static partial void LogGroupRecreated(ILogger logger, int partition);
}
