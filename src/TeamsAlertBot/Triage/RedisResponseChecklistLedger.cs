using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="IResponseChecklistLedger"/> in Redis, shared by every instance: a tick is one Lua script over
/// the alert's checklist, audit trail and triage record (one hash slot, Redis 6.0 commands only).
/// </summary>
public sealed class RedisResponseChecklistLedger(IConnectionMultiplexer redis, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null)
    : IResponseChecklistLedger
{
    // KEYS[1] checklist hash, KEYS[2] audit list, KEYS[3] triage record. ARGV: field, tick JSON, audit JSON,
    // retention ms, most audit entries, triage version, verdict, 1 = tick / 0 = untick.
    // Answers 0 recorded, 1 unchanged, 2 stale (the verdict at that version is not the alert's applied one).
    private const string SetScript = """
        local triage = redis.call('GET', KEYS[3])
        if not triage then return 2 end
        local record = cjson.decode(triage)
        if (record.version or 1) ~= tonumber(ARGV[6]) or record.state ~= 'Applied' or record.verdict ~= ARGV[7] then return 2 end
        if ARGV[8] == '1' then
          if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 1 end
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        else
          if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 1 end
        end
        redis.call('RPUSH', KEYS[2], ARGV[3])
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return 0
        """;

    /// <inheritdoc />
    public async Task<ResponseChecklistState> GetAsync(string alertId)
    {
        // One transaction: the three keys share the alert's hash slot, so the view is consistent on a cluster too.
        ITransaction tx = redis.GetDatabase().CreateTransaction();
        Task<RedisValue> triage = tx.StringGetAsync(keys.Triage(alertId));
        Task<HashEntry[]> fields = tx.HashGetAllAsync(keys.ResponseChecklist(alertId));
        Task<RedisValue> mitigation = tx.StringGetAsync(keys.Mitigation(alertId));
        await tx.ExecuteAsync();
        TriageRecord record = (await triage).IsNullOrEmpty ? TriageRecord.Initial : ITriageLedger.Parse((await triage)!);
        return new ResponseChecklistState(
            record,
            IResponseChecklistLedger.Ticks(record.Version, (await fields).Select(f => new KeyValuePair<string, string>(f.Name!, f.Value!))),
            (await mitigation).IsNullOrEmpty ? null : IMitigationLedger.Parse((await mitigation)!));
    }

    /// <inheritdoc />
    public async Task<ResponseTickOutcome> SetAsync(string alertId, int triageVersion, TriageVerdict verdict, ResponseItem item, bool done, ResponseTick tick, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(audit);
        long outcome = (long)await redis.GetDatabase().ScriptEvaluateAsync(
            SetScript,
            [keys.ResponseChecklist(alertId), keys.Audit(alertId), keys.Triage(alertId)],
            [
                IResponseChecklistLedger.Field(triageVersion, item),
                IResponseChecklistLedger.Serialize(tick),
                ITriageLedger.Serialize(audit),
                RetentionMs,
                ITriageLedger.MaxAuditEntries,
                triageVersion,
                verdict.ToString(),
                done ? "1" : "0",
            ]);
        return (ResponseTickOutcome)(int)outcome;
    }

    /// <summary>How long the checklist lives after its last write (the alert's state retention).</summary>
    private long RetentionMs => (long)(options?.Value.StateRetention ?? new Alerts.AlertPipelineOptions().StateRetention).TotalMilliseconds;
}
