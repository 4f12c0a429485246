using System.Text.Json;
using StackExchange.Redis;
using TeamsAlertBot.BotFramework.Connector;

namespace TeamsAlertBot.Alerts;

/// <summary>
/// <see cref="IDeliveryLedger"/> in Redis, shared by every instance: each step is one script over keys of
/// one hash slot, and the common path — begin, deliver — is two round trips.
/// </summary>
public sealed class RedisDeliveryLedger(IConnectionMultiplexer redis) : IDeliveryLedger
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

    /// <inheritdoc />
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

    /// <inheritdoc />
    public async Task<bool> SendAgainAsync(DeliverySlot slot, string owner, DateTimeOffset now, string target)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return (long)await Db.ScriptEvaluateAsync(SendAgainScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, now.ToUnixTimeMilliseconds(), target]) == 1;
    }

    /// <inheritdoc />
    public async Task<string?> DeliveredAsync(DeliverySlot slot, string owner, string deliveredJson, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(slot);
        RedisKey[] keys = slot.ReadBack is { } readBack ? [slot.Delivered, slot.Sends, readBack] : [slot.Delivered, slot.Sends];
        string? value = (string?)await Db.ScriptEvaluateAsync(DeliveredScript, keys, [slot.ConversationId, owner, deliveredJson, (long)retention.TotalMilliseconds]);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <inheritdoc />
    public Task FailedAsync(DeliverySlot slot, string owner, DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return outcome == DeliveryOutcome.NotDelivered
            ? TakeBackAsync(slot, owner, 1, keep: false)
            : ReleaseAsync(slot, owner);
    }

    /// <inheritdoc />
    public Task AbsentAsync(DeliverySlot slot, string owner, int copies) => TakeBackAsync(slot, owner, copies, keep: true);

    /// <inheritdoc />
    public async Task<bool> RenewAsync(DeliverySlot slot, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return (long)await Db.ScriptEvaluateAsync(LeaseScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, (now + lease).ToUnixTimeMilliseconds()]) == 1;
    }

    /// <inheritdoc />
    public Task ReleaseAsync(DeliverySlot slot, string owner)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return Db.ScriptEvaluateAsync(LeaseScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, 0]);
    }

    private Task<RedisResult> TakeBackAsync(DeliverySlot slot, string owner, int copies, bool keep) =>
        Db.ScriptEvaluateAsync(TakeBackScript, [slot.Delivered, slot.Sends], [slot.ConversationId, owner, copies, keep ? "1" : "0"]);
}
