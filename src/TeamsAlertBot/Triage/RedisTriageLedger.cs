using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="ITriageLedger"/> in Redis, shared by every instance: a decision is one Lua script.
/// </summary>
public sealed class RedisTriageLedger(IConnectionMultiplexer redis, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null) : ITriageLedger
{
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

    /// <inheritdoc />
    public async Task<TriageRecord> GetAsync(string alertId)
    {
        RedisValue json = await redis.GetDatabase().StringGetAsync(keys.Triage(alertId));
        return json.IsNullOrEmpty ? TriageRecord.Initial : ITriageLedger.Parse(json!);
    }

    /// <inheritdoc />
    public async Task<(ClaimOutcome Outcome, TriageRecord Record)> TryClaimAsync(
        string alertId, int expectedVersion, TriageVerdict verdict, string? actorName, string? actorObjectId, string? comment, DateTimeOffset now)
    {
        TriageRecord claimed = ITriageLedger.NewClaim(expectedVersion, verdict, actorName, actorObjectId, comment, now);
        RedisResult[] result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            ClaimScript,
            [keys.Triage(alertId)],
            [expectedVersion, verdict.ToString(), ITriageLedger.Serialize(claimed), now.ToUnixTimeMilliseconds(), RetentionMs]))!;
        var outcome = (ClaimOutcome)(int)result[0];
        string current = (string)result[1]!;
        return (outcome, current.Length == 0 ? TriageRecord.Initial : ITriageLedger.Parse(current));
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(string alertId, int version, TriageState state) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CompleteScript, [keys.Triage(alertId)], [version, state.ToString(), RetentionMs]) == 1;

    /// <inheritdoc />
    public async Task AppendAuditAsync(string alertId, AuditEntry entry)
    {
        RedisKey key = keys.Audit(alertId);
        ITransaction tx = redis.GetDatabase().CreateTransaction();
        _ = tx.ListRightPushAsync(key, ITriageLedger.Serialize(entry));
        _ = tx.ListTrimAsync(key, -ITriageLedger.MaxAuditEntries, -1);
        _ = tx.KeyExpireAsync(key, TimeSpan.FromMilliseconds(RetentionMs));
        await tx.ExecuteAsync();
    }

    /// <summary>How long a record lives after its last write (the alert's state retention).</summary>
    private long RetentionMs => (long)(options?.Value.StateRetention ?? new Alerts.AlertPipelineOptions().StateRetention).TotalMilliseconds;

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string alertId) =>
        [.. (await redis.GetDatabase().ListRangeAsync(keys.Audit(alertId))).Select(v => ITriageLedger.ParseAudit((string)v!))];

}
