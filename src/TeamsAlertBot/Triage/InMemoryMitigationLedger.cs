using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TeamsAlertBot.Core.Triage;
using TeamsAlertBot.State;

namespace TeamsAlertBot.Triage;

/// <summary>
/// <see cref="IMitigationLedger"/> in this process (<see cref="InMemoryKeyspace"/>, one instance only): the
/// claim reads the alert's triage record in the same step, as <see cref="RedisMitigationLedger"/>'s script does.
/// </summary>
public sealed class InMemoryMitigationLedger(InMemoryKeyspace space, RedisKeys keys, IOptions<Alerts.AlertPipelineOptions>? options = null) : IMitigationLedger
{
    private TimeSpan Retention => (options?.Value ?? new Alerts.AlertPipelineOptions()).StateRetention;

    /// <inheritdoc />
    public Task<MitigationRecord?> GetAsync(string alertId) =>
        Task.FromResult(space.Atomic(step => step.Get(keys.Mitigation(alertId)) is { Length: > 0 } json ? IMitigationLedger.Parse(json) : null));

    /// <inheritdoc />
    public Task<(bool Won, MitigationRecord? Record)> TryClaimAsync(string alertId, MitigationRecord claim, int triageVersion)
    {
        ArgumentNullException.ThrowIfNull(claim);
        MitigationRecord pending = IMitigationLedger.Pending(claim);
        return Task.FromResult(space.Atomic<(bool, MitigationRecord?)>(step =>
        {
            if (step.Get(keys.Triage(alertId)) is not { Length: > 0 } triage
                || ITriageLedger.Parse(triage) is not { Verdict: TriageVerdict.Fraud, State: TriageState.Applied } decided
                || decided.Version != triageVersion)
            {
                return (false, null);
            }

            RedisKey key = keys.Mitigation(alertId);
            if (step.Get(key) is { Length: > 0 } json && IMitigationLedger.Parse(json) is { } current
                && (current.State == MitigationState.Accepted
                    || (current.State == MitigationState.Pending && (current.PendingUntil ?? 0) >= claim.At.ToUnixTimeMilliseconds())))
            {
                return (false, current);
            }

            step.Set(key, IMitigationLedger.Serialize(pending), Retention);
            return (true, pending);
        }));
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(string alertId, MitigationRecord claimed, MitigationState state, string? failure)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return Task.FromResult(space.Atomic(step =>
        {
            RedisKey key = keys.Mitigation(alertId);
            if (step.Get(key) is not { Length: > 0 } json || IMitigationLedger.Parse(json) is not { State: MitigationState.Pending } current
                || current.PendingUntil != (claimed.PendingUntil ?? 0))
            {
                return false;
            }

            step.Set(key, IMitigationLedger.Serialize(claimed with { State = state, Error = failure, PendingUntil = null }), Retention);
            return true;
        }));
    }
}
