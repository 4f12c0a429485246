using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IAlertWorkStreams"/> in Redis: streams, one per partition (<see cref="RedisKeys.WorkPartitions"/>),
/// read by the dispatchers' consumer group; a pending entry is held by its consumer and taken over by XCLAIM
/// after its backoff. Only commands of Redis 5.0 are used (no XAUTOCLAIM: XPENDING and XCLAIM), and every
/// script touches one partition's keys, which share a hash slot.
/// </summary>
public sealed partial class RedisAlertWorkStreams(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<AlertPipelineOptions> options,
    TimeProvider time,
    ILogger<RedisAlertWorkStreams> logger) : IAlertWorkStreams
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

    /// <inheritdoc />
    public async Task<bool> FirstSightAsync(string alertId, IReadOnlyList<string> conversations, bool verify, bool storm = false)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        RedisValue[] args = [(long)Retention.TotalMilliseconds, alertId, verify ? "1" : "0", storm ? "1" : "0", .. conversations.Select(c => (RedisValue)c)];
        RedisResult result = await Db.ScriptEvaluateAsync(FirstSightScript, [keys.AlertSeen(alertId), keys.Work(RedisKeys.PartitionOf(alertId))], args);
        return (long)result == 1;
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
    public Task EnqueueAsync(AlertWorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Db.StreamAddAsync(keys.Work(RedisKeys.PartitionOf(item.PartitionKey)), Fields(item), maxLength: MaxStreamLength, useApproximateMaxLength: true);
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
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

    /// <inheritdoc />
    public Task AcknowledgeAsync(QueuedAlertWork entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WithGroupAsync(entry.Partition, () => Db.ScriptEvaluateAsync(
            AcknowledgeScript, [keys.Work(entry.Partition), keys.WorkErrors(entry.Partition)], [entry.EntryId]));
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

        await Db.HashSetAsync(keys.WorkErrors(entry.Partition), entry.EntryId, Truncate(reason));
        return false;
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
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

    /// <inheritdoc />
    public async Task<long> DeadLetterCountAsync()
    {
        long total = 0;
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            total += await Db.StreamLengthAsync(keys.DeadLetters(partition));
        }

        return total;
    }

    /// <inheritdoc />
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

    /// <inheritdoc />
    public async Task<long> BacklogAsync()
    {
        long total = 0;
        for (int partition = 0; partition < RedisKeys.WorkPartitions; partition++)
        {
            total += await Db.StreamLengthAsync(keys.Work(partition));
        }

        return total;
    }

    /// <inheritdoc />
    public TimeSpan DelayAfter(long failures) => WorkBackoff.DelayAfter(Settings, failures);

    /// <inheritdoc />
    public TimeSpan BackoffAfter(long attempts) => WorkBackoff.BackoffAfter(Settings, attempts);

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

    /// <summary>
    /// Runs a command on a partition, re-creating its consumer group first when it was lost (Redis lost its
    /// data): reads answer NOGROUP, and XINFO CONSUMERS (looking for work to take over) "no such key".
    /// </summary>
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
        catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal) || e.Message.StartsWith("ERR no such key", StringComparison.Ordinal))
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
        return item.IsWellFormed ? item : null;
    }

    private static string? NullIfEmpty(RedisValue value) => value.IsNullOrEmpty ? null : (string?)value;

    private static string Truncate(string text) => WorkBackoff.Truncate(text);

    [LoggerMessage(4210, LogLevel.Error, "Gave up on {Kind} work (alert {AlertId}, conversation {ConversationId}) after {Attempts} deliveries: {Reason}; it is in the dead letters")]
    private static partial void LogDeadLettered(ILogger logger, string kind, string? alertId, string? conversationId, long attempts, string reason);

    [LoggerMessage(4211, LogLevel.Warning, "The consumer group of work partition {Partition} was gone (Redis lost its data?); made it again")]
    private static partial void LogGroupRecreated(ILogger logger, int partition);
}
