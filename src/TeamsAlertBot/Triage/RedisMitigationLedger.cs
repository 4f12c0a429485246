using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="IMitigationLedger"/> in Redis, shared by every instance: a claim is one Lua script that also
/// reads the alert's triage record (same hash slot).
/// </summary>
public sealed class RedisMitigationLedger(IConnectionMultiplexer redis, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null) : IMitigationLedger
{
    // KEYS[1] record, KEYS[2] the alert's triage record; ARGV: the claim's JSON, now (Unix ms), the
    // triage version the fraud verdict was seen at. Answers {1, record} when another cancellation stands,
    // {2, ''} when the triage moved on (a reopen or a new decision), {0, claim} when this one may go ahead.
    private const string ClaimScript = """
        local triage = redis.call('GET', KEYS[2])
        if not triage then return {2, ''} end
        local decided = cjson.decode(triage)
        if decided.version ~= tonumber(ARGV[3]) or decided.verdict ~= 'Fraud' or decided.state ~= 'Applied' then return {2, ''} end
        local current = redis.call('GET', KEYS[1])
        if current then
          local record = cjson.decode(current)
          if record.state == 'Accepted' then return {1, current} end
          if record.state == 'Pending' and (record.pendingUntil or 0) >= tonumber(ARGV[2]) then return {1, current} end
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
        return {0, ARGV[1]}
        """;

    // KEYS[1] record; ARGV: the claim's pendingUntil, the final JSON, retention ms.
    private const string CompleteScript = """
        local current = redis.call('GET', KEYS[1])
        if not current then return 0 end
        local record = cjson.decode(current)
        if record.state ~= 'Pending' or tostring(record.pendingUntil) ~= tostring(tonumber(ARGV[1])) then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    /// <inheritdoc />
    public async Task<MitigationRecord?> GetAsync(string alertId)
    {
        RedisValue json = await redis.GetDatabase().StringGetAsync(keys.Mitigation(alertId));
        return json.IsNullOrEmpty ? null : IMitigationLedger.Parse(json!);
    }

    /// <inheritdoc />
    public async Task<(bool Won, MitigationRecord? Record)> TryClaimAsync(string alertId, MitigationRecord claim, int triageVersion)
    {
        ArgumentNullException.ThrowIfNull(claim);
        MitigationRecord pending = IMitigationLedger.Pending(claim);
        RedisResult[] result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            ClaimScript, [keys.Mitigation(alertId), keys.Triage(alertId)], [IMitigationLedger.Serialize(pending), claim.At.ToUnixTimeMilliseconds(), triageVersion, RetentionMs]))!;
        string json = (string)result[1]!;
        return ((int)result[0] == 0, json.Length == 0 ? null : IMitigationLedger.Parse(json));
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(string alertId, MitigationRecord claimed, MitigationState state, string? failure)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        MitigationRecord done = claimed with { State = state, Error = failure, PendingUntil = null };
        return (long)await redis.GetDatabase().ScriptEvaluateAsync(
            CompleteScript, [keys.Mitigation(alertId)], [claimed.PendingUntil ?? 0, IMitigationLedger.Serialize(done), RetentionMs]) == 1;
    }

    /// <summary>How long a record lives after its last write (the alert's state retention).</summary>
    private long RetentionMs => (long)(options?.Value.StateRetention ?? new Alerts.AlertPipelineOptions().StateRetention).TotalMilliseconds;

}
