using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>How a claim on an alert's triage ended.</summary>
public enum ClaimOutcome
{
    /// <summary>This click decides: the record moved to the next version, state pending.</summary>
    Won,

    /// <summary>The same verdict is already recorded (or being recorded): nothing to do.</summary>
    SameVerdict,

    /// <summary>The card was older than the record, or another decision is being recorded.</summary>
    Stale,
}

/// <summary>One line of an alert's audit trail.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Action,
    string? ActorName,
    string? ActorObjectId,
    string? Comment,
    string Outcome);

/// <summary>
/// The triage records in Redis. A decision is a compare-and-set on the record's version, in one
/// Lua script: of any number of concurrent clicks exactly one wins, the others see what won.
/// </summary>
public sealed class TriageLedger(IConnectionMultiplexer redis, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null)
{
    /// <summary>The most audit entries kept per alert (the oldest go first).</summary>
    public const int MaxAuditEntries = 200;

    // KEYS[1] record; ARGV: expected version, verdict, new record JSON (version already increased), now ms, retention ms.
    private const string ClaimScript = """
        local current = redis.call('GET', KEYS[1])
        local version, verdict, state = 1, nil, 'None'
        if current then
          local record = cjson.decode(current)
          version = record.version or 1
          verdict = record.verdict
          state = record.state or 'None'
        end
        local lapsed = state == 'Pending' and (cjson.decode(current).pendingUntil or 0) < tonumber(ARGV[4])
        -- A lapsed claim is retried like a failed one (the card shows it as failed), not taken as the same verdict.
        if verdict == ARGV[2] and state ~= 'Failed' and not lapsed then
          return {1, current or ''}
        end
        local expected = tonumber(ARGV[1])
        -- A lapsed claim (its instance died) counts as never made: cards still show the version before it.
        local fresh = version == expected and state ~= 'Pending'
        local takeover = lapsed and (version == expected or version == expected + 1)
        if not (fresh or takeover) then
          return {2, current or ''}
        end
        local claimed = cjson.decode(ARGV[3])
        claimed.version = version + 1
        local json = cjson.encode(claimed)
        redis.call('SET', KEYS[1], json, 'PX', ARGV[5])
        return {0, json}
        """;

    // KEYS[1] record; ARGV: version the decision was claimed at, new state, retention ms.
    private const string CompleteScript = """
        local current = redis.call('GET', KEYS[1])
        if not current then return 0 end
        local record = cjson.decode(current)
        if record.version ~= tonumber(ARGV[1]) then return 0 end
        record.state = ARGV[2]
        record.pendingUntil = nil
        redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[3])
        return 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(TriageJsonContext.Default, TriageLedgerJsonContext.Default),
        Converters = { new JsonStringEnumConverter<TriageState>() },
    };

    /// <summary>How long a pending claim holds before another click may take over.</summary>
    public static readonly TimeSpan PendingLapse = TimeSpan.FromMinutes(3);

    public async Task<TriageRecord> GetAsync(string alertId)
    {
        RedisValue json = await redis.GetDatabase().StringGetAsync(keys.Triage(alertId));
        return json.IsNullOrEmpty ? TriageRecord.Initial : Parse(json!);
    }

    /// <summary>
    /// Claims the decision for a click made on a card showing <paramref name="expectedVersion"/>.
    /// Returns the outcome and the record as it is now (the new one when won).
    /// </summary>
    public async Task<(ClaimOutcome Outcome, TriageRecord Record)> TryClaimAsync(
        string alertId, int expectedVersion, TriageVerdict verdict, string? actorName, string? actorObjectId, string? comment, DateTimeOffset now)
    {
        var claimed = new TriageRecord
        {
            Version = expectedVersion + 1,
            State = TriageState.Pending,
            Verdict = verdict,
            ActorName = actorName,
            ActorObjectId = actorObjectId,
            At = now,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
            // A claim whose instance died mid-update must not block the alert for ever.
            PendingUntil = (now + PendingLapse).ToUnixTimeMilliseconds(),
        };
        RedisResult[] result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            ClaimScript,
            [keys.Triage(alertId)],
            [expectedVersion, verdict.ToString(), Serialize(claimed), now.ToUnixTimeMilliseconds(), RetentionMs]))!;
        var outcome = (ClaimOutcome)(int)result[0];
        string current = (string)result[1]!;
        return (outcome, current.Length == 0 ? TriageRecord.Initial : Parse(current));
    }

    /// <summary>Marks the decision claimed at <paramref name="version"/> applied or failed (unless a newer one replaced it).</summary>
    public async Task<bool> CompleteAsync(string alertId, int version, TriageState state) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CompleteScript, [keys.Triage(alertId)], [version, state.ToString(), RetentionMs]) == 1;

    /// <summary>Appends to the alert's audit trail (bounded to the newest <see cref="MaxAuditEntries"/>; it expires with the alert's state).</summary>
    public async Task AppendAuditAsync(string alertId, AuditEntry entry)
    {
        RedisKey key = keys.Audit(alertId);
        ITransaction tx = redis.GetDatabase().CreateTransaction();
        _ = tx.ListRightPushAsync(key, JsonSerializer.Serialize(entry, Json));
        _ = tx.ListTrimAsync(key, -MaxAuditEntries, -1);
        _ = tx.KeyExpireAsync(key, TimeSpan.FromMilliseconds(RetentionMs));
        await tx.ExecuteAsync();
    }

    /// <summary>How long a record lives after its last write (the alert's state retention).</summary>
    private long RetentionMs => (long)(options?.Value.StateRetention ?? new Alerts.AlertPipelineOptions().StateRetention).TotalMilliseconds;

    /// <summary>The alert's audit trail, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string alertId) =>
        [.. (await redis.GetDatabase().ListRangeAsync(keys.Audit(alertId))).Select(v => JsonSerializer.Deserialize<AuditEntry>((string)v!, Json)!)];

    private static string Serialize(TriageRecord record) => JsonSerializer.Serialize(record, Json);

    internal static TriageRecord Parse(string json) => JsonSerializer.Deserialize<TriageRecord>(json, Json)!;
}

/// <summary>Serializer metadata of the audit trail.</summary>
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class TriageLedgerJsonContext : JsonSerializerContext;
