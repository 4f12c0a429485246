using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="ITriageLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only): the
/// compare-and-set of <see cref="RedisTriageLedger"/> under the keyspace's lock, on the same keys.
/// </summary>
public sealed class InMemoryTriageLedger(InMemoryKeyspace space, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null) : ITriageLedger
{
    private TimeSpan Retention => (options?.Value ?? new Alerts.AlertPipelineOptions()).StateRetention;

    /// <inheritdoc />
    public Task<TriageRecord> GetAsync(string alertId) =>
        Task.FromResult(space.Atomic(step => step.Get(keys.Triage(alertId)) is { Length: > 0 } json ? ITriageLedger.Parse(json) : TriageRecord.Initial));

    /// <inheritdoc />
    public Task<(ClaimOutcome Outcome, TriageRecord Record)> TryClaimAsync(
        string alertId, int expectedVersion, TriageVerdict verdict, string? actorName, string? actorObjectId, string? comment, DateTimeOffset now)
    {
        TriageRecord claim = ITriageLedger.NewClaim(expectedVersion, verdict, actorName, actorObjectId, comment, now);
        return Task.FromResult(space.Atomic(step =>
        {
            RedisKey key = keys.Triage(alertId);
            TriageRecord current = step.Get(key) is { Length: > 0 } json ? ITriageLedger.Parse(json) : TriageRecord.Initial;
            bool lapsed = current.State == TriageState.Pending && (current.PendingUntil ?? 0) < now.ToUnixTimeMilliseconds();

            // A lapsed claim is retried like a failed one (the card shows it as failed), not taken as the same verdict.
            if (current.Verdict == verdict && current.State != TriageState.Failed && !lapsed)
            {
                return (ClaimOutcome.SameVerdict, current);
            }

            // A lapsed claim (its instance died) counts as never made: cards still show the version before it.
            bool fresh = current.Version == expectedVersion && current.State != TriageState.Pending;
            bool takeover = lapsed && (current.Version == expectedVersion || current.Version == expectedVersion + 1);
            if (!(fresh || takeover))
            {
                return (ClaimOutcome.Stale, current);
            }

            TriageRecord won = claim with { Version = current.Version + 1 };
            step.Set(key, ITriageLedger.Serialize(won), Retention);
            return (ClaimOutcome.Won, won);
        }));
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(string alertId, int version, TriageState state) => Task.FromResult(space.Atomic(step =>
    {
        RedisKey key = keys.Triage(alertId);
        if (step.Get(key) is not { Length: > 0 } json || ITriageLedger.Parse(json) is not { } record || record.Version != version)
        {
            return false;
        }

        step.Set(key, ITriageLedger.Serialize(record with { State = state, PendingUntil = null }), Retention);
        return true;
    }));

    /// <inheritdoc />
    public Task AppendAuditAsync(string alertId, AuditEntry entry)
    {
        space.Atomic(step =>
        {
            List<string> audit = step.List(keys.Audit(alertId), create: true)!;
            audit.Add(ITriageLedger.Serialize(entry));
            if (audit.Count > ITriageLedger.MaxAuditEntries)
            {
                audit.RemoveRange(0, audit.Count - ITriageLedger.MaxAuditEntries);
            }

            step.Expire(keys.Audit(alertId), Retention);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string alertId) => Task.FromResult<IReadOnlyList<AuditEntry>>(space.Atomic(step =>
        (step.List(keys.Audit(alertId)) ?? []).Select(ITriageLedger.ParseAudit).ToList()));
}
