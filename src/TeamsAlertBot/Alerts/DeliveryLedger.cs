using System.Text.Json;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;

namespace TeamsAlertBot.Alerts;

/// <summary>Where one message goes once: a hash of delivered messages and a hash of sends in progress, by conversation.</summary>
/// <param name="Delivered">Hash: conversation id → JSON of the delivered message (an <see cref="AlertCardPost"/> or a <see cref="StormThread"/>).</param>
/// <param name="Sends">Hash: conversation id → JSON <see cref="SendRecord"/>; same hash slot as <paramref name="Delivered"/>.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Extra">Keys read along with the start (e.g. the alert's triage and mitigation records); same hash slot.</param>
/// <param name="ReadBack">A key read along with the delivery record (the alert's snapshot); same hash slot.</param>
public sealed record DeliverySlot(RedisKey Delivered, RedisKey Sends, string ConversationId, RedisKey[]? Extra = null, RedisKey? ReadBack = null);

/// <summary>A send in progress or whose outcome is unknown, as recorded before the connector was called.</summary>
public sealed record SendRecord
{
    /// <summary>The instance that holds the send.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when (Unix ms) the owner holds it; a heartbeat extends it. After it, another instance may take over.</summary>
    public long LeaseUntil { get; init; }

    /// <summary>How many sends may have delivered the message (each started and not refused).</summary>
    public int Copies { get; init; }

    /// <summary>When the last send started (Unix ms).</summary>
    public long StartedAt { get; init; }

    /// <summary>The conversation (or thread) the last send went to.</summary>
    public string? Target { get; init; }
}

/// <summary>How <see cref="DeliveryLedger.BeginAsync"/> found the slot.</summary>
public enum DeliveryStart
{
    /// <summary>Nothing was sent yet: this caller holds the send, counted as started (<see cref="SendRecord.Copies"/> = 1).</summary>
    Send,

    /// <summary>Already delivered.</summary>
    Delivered,

    /// <summary>Another instance holds the send.</summary>
    Busy,

    /// <summary>
    /// A send started before and its outcome is unknown (timeout, dropped connection, 5xx, a crash): the
    /// message may be there. This caller holds the slot; check the conversation before sending again.
    /// </summary>
    Unsettled,
}

/// <summary>What <see cref="DeliveryLedger.BeginAsync"/> found.</summary>
/// <param name="Start">How the slot was found.</param>
/// <param name="Delivered">The delivered message's JSON, when <see cref="DeliveryStart.Delivered"/>.</param>
/// <param name="Send">The send record now.</param>
/// <param name="Extra">The values of <see cref="DeliverySlot.Extra"/>, in order.</param>
public sealed record DeliveryBegin(DeliveryStart Start, string? Delivered, SendRecord? Send, IReadOnlyList<string?> Extra);

/// <summary>
/// At most one delivery of a message per conversation, across instances and crashes, for messages the
/// connector cannot de-duplicate (a card, a storm root). Before the connector is called a send record
/// says "a copy may be on its way"; a 2xx moves it to the delivered hash; a refusal takes the copy back;
/// an unknown outcome (or a crash) leaves it, so the next attempt knows it must check the conversation
/// first. Each step is one script over keys of one hash slot, and the common path — begin, deliver —
/// is two round trips.
/// </summary>
public sealed class DeliveryLedger(IConnectionMultiplexer redis)
{
    // KEYS[1] delivered, KEYS[2] sends, KEYS[3..] extra reads; ARGV: conversation, owner, now ms, lease ms, retention ms, target.
    // Answers {start, json, extra...}: 0 send (a fresh send is started), 1 delivered, 2 busy, 3 unsettled.
    private const string BeginScript = """
        local out = {}
        for i = 3, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '' end
        local delivered = redis.call('HGET', KEYS[1], ARGV[1])
        if delivered then return {1, delivered, unpack(out)} end
        local now = tonumber(ARGV[3])
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        local record = {copies = 0}
        if current then
          record = cjson.decode(current)
          if record.owner ~= ARGV[2] and (tonumber(record.leaseUntil) or 0) > now then return {2, current, unpack(out)} end
        end
        record.owner = ARGV[2]
        record.leaseUntil = now + tonumber(ARGV[4])
        local start = 3
        if (tonumber(record.copies) or 0) == 0 then
          record.copies = 1
          record.startedAt = now
          record.target = ARGV[6]
          start = 0
        end
        local json = cjson.encode(record)
        redis.call('HSET', KEYS[2], ARGV[1], json)
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return {start, json, unpack(out)}
        """;

    // KEYS[2] sends; ARGV: conversation, owner, now ms, target. A send after a check: one more copy may be on its way.
    private const string SendAgainScript = """
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if not current then return 0 end
        local record = cjson.decode(current)
        if record.owner ~= ARGV[2] then return 0 end
        record.copies = (tonumber(record.copies) or 0) + 1
        record.startedAt = tonumber(ARGV[3])
        record.target = ARGV[4]
        redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(record))
        return 1
        """;

    // KEYS[1] delivered, KEYS[2] sends, KEYS[3] (optional) a key read back; ARGV: conversation, owner,
    // delivered JSON, retention ms. The first delivery recorded stands; the send record goes (whoever
    // holds it: the message is there).
    private const string DeliveredScript = """
        redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('HDEL', KEYS[2], ARGV[1])
        if KEYS[3] then return redis.call('GET', KEYS[3]) or '' end
        return ''
        """;

    // KEYS[2] sends; ARGV: conversation, owner, copies to take back (1 after a refusal, all after a check
    // found nothing), keep ('1': the owner goes on to send, so its hold stays; '0': the slot is let go).
    private const string TakeBackScript = """
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if not current then return 0 end
        local record = cjson.decode(current)
        if record.owner ~= ARGV[2] then return 0 end
        local copies = (tonumber(record.copies) or 0) - tonumber(ARGV[3])
        if copies <= 0 and ARGV[4] ~= '1' then
          redis.call('HDEL', KEYS[2], ARGV[1])
          return 1
        end
        record.copies = math.max(copies, 0)
        redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(record))
        return 1
        """;

    // KEYS[2] sends; ARGV: conversation, owner, new leaseUntil (0 = release now).
    private const string LeaseScript = """
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if not current then return 0 end
        local record = cjson.decode(current)
        if record.owner ~= ARGV[2] then return 0 end
        record.leaseUntil = tonumber(ARGV[3])
        redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(record))
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Starts a delivery for <paramref name="owner"/>: a fresh send (counted), the message already
    /// delivered, another owner busy, or a previous send unsettled (this owner now holds the slot).
    /// </summary>
    public async Task<DeliveryBegin> BeginAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease, TimeSpan retention, string target)
    {
        ArgumentNullException.ThrowIfNull(slot);
        RedisKey[] keys = [slot.Delivered, slot.Sends, .. slot.Extra ?? []];
        RedisResult[] result = (RedisResult[])(await Db.ScriptEvaluateAsync(
            BeginScript, keys, [slot.ConversationId, owner, now.ToUnixTimeMilliseconds(), (long)lease.TotalMilliseconds, (long)retention.TotalMilliseconds, target]))!;
        var start = (DeliveryStart)(int)result[0];
        string json = (string)result[1]!;
        string?[] extra = [.. result.Skip(2).Select(r => (string?)r is { Length: > 0 } value ? value : null)];
        return start == DeliveryStart.Delivered
            ? new DeliveryBegin(start, json, null, extra)
            : new DeliveryBegin(start, null, JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.SendRecord), extra);
    }

    /// <summary>After a check of the conversation: one more send starts (its copy counts). False when the slot was taken over.</summary>
    public async Task<bool> SendAgainAsync(DeliverySlot slot, string owner, DateTimeOffset now, string target)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return (long)await Db.ScriptEvaluateAsync(SendAgainScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, now.ToUnixTimeMilliseconds(), target]) == 1;
    }

    /// <summary>
    /// The message is in the conversation (a 2xx, or a check found it): recorded, never sent again.
    /// Returns the slot's <see cref="DeliverySlot.ReadBack"/> value as it is now (null when none).
    /// </summary>
    public async Task<string?> DeliveredAsync(DeliverySlot slot, string owner, string deliveredJson, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(slot);
        RedisKey[] keys = slot.ReadBack is { } readBack ? [slot.Delivered, slot.Sends, readBack] : [slot.Delivered, slot.Sends];
        string? value = (string?)await Db.ScriptEvaluateAsync(DeliveredScript, keys, [slot.ConversationId, owner, deliveredJson, (long)retention.TotalMilliseconds]);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// The send failed. Refused (<see cref="DeliveryOutcome.NotDelivered"/>): its copy is taken back and the
    /// slot released, so a retry sends without a check. Unknown: the copy stands and the lease is kept
    /// until it runs out, so the next attempt checks first.
    /// </summary>
    public Task FailedAsync(DeliverySlot slot, string owner, DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return outcome == DeliveryOutcome.NotDelivered
            ? TakeBackAsync(slot, owner, 1, keep: false)
            : ReleaseAsync(slot, owner);
    }

    /// <summary>A check of the conversation found no copy: every copy counted so far is taken back; the owner keeps its hold to send.</summary>
    public Task AbsentAsync(DeliverySlot slot, string owner, int copies) => TakeBackAsync(slot, owner, copies, keep: true);

    /// <summary>Extends the owner's hold while its send is still running.</summary>
    public async Task<bool> RenewAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return (long)await Db.ScriptEvaluateAsync(LeaseScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, (now + lease).ToUnixTimeMilliseconds()]) == 1;
    }

    /// <summary>Gives the hold up without changing what may have been sent (the next taker checks if a copy may exist).</summary>
    public Task ReleaseAsync(DeliverySlot slot, string owner)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Db.ScriptEvaluateAsync(LeaseScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, 0]);
    }

    private Task<RedisResult> TakeBackAsync(DeliverySlot slot, string owner, int copies, bool keep) =>
        Db.ScriptEvaluateAsync(TakeBackScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, copies, keep ? "1" : "0"]);
}
