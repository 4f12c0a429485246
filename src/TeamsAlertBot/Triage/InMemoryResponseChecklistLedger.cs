using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="IResponseChecklistLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only):
/// the script of <see cref="RedisResponseChecklistLedger"/> under the keyspace's lock, on the same keys.
/// </summary>
public sealed class InMemoryResponseChecklistLedger(InMemoryKeyspace space, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null)
    : IResponseChecklistLedger
{
    private TimeSpan Retention => (options?.Value ?? new Alerts.AlertPipelineOptions()).StateRetention;

    /// <inheritdoc />
    public Task<ResponseChecklistState> GetAsync(string alertId) => Task.FromResult(space.Atomic(step =>
    {
        TriageRecord record = step.Get(keys.Triage(alertId)) is { Length: > 0 } triage ? ITriageLedger.Parse(triage) : TriageRecord.Initial;
        Dictionary<string, string> fields = step.Hash(keys.ResponseChecklist(alertId)) ?? [];
        MitigationRecord? mitigation = step.Get(keys.Mitigation(alertId)) is { Length: > 0 } m ? IMitigationLedger.Parse(m) : null;
        return new ResponseChecklistState(record, IResponseChecklistLedger.Ticks(record.Version, fields), mitigation);
    }));

    /// <inheritdoc />
    public Task<ResponseTickOutcome> SetAsync(string alertId, int triageVersion, TriageVerdict verdict, ResponseItem item, bool done, ResponseTick tick, AuditEntry audit)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(audit);
        return Task.FromResult(space.Atomic(step =>
        {
            if (step.Get(keys.Triage(alertId)) is not { Length: > 0 } json
                || ITriageLedger.Parse(json) is not { State: TriageState.Applied } record
                || record.Version != triageVersion || record.Verdict != verdict)
            {
                return ResponseTickOutcome.Stale;
            }

            RedisKey key = keys.ResponseChecklist(alertId);
            string field = IResponseChecklistLedger.Field(triageVersion, item);
            if (done)
            {
                Dictionary<string, string> fields = step.Hash(key, create: true)!;
                if (!fields.TryAdd(field, IResponseChecklistLedger.Serialize(tick)))
                {
                    return ResponseTickOutcome.Unchanged;
                }

                step.Expire(key, Retention);
            }
            else if (step.Hash(key) is not { } fields || !fields.Remove(field))
            {
                return ResponseTickOutcome.Unchanged;
            }

            List<string> trail = step.List(keys.Audit(alertId), create: true)!;
            trail.Add(ITriageLedger.Serialize(audit));
            if (trail.Count > ITriageLedger.MaxAuditEntries)
            {
                trail.RemoveRange(0, trail.Count - ITriageLedger.MaxAuditEntries);
            }

            step.Expire(keys.Audit(alertId), Retention);
            return ResponseTickOutcome.Recorded;
        }));
    }
}
