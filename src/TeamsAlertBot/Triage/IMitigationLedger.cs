using System.Text.Json;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>
/// The mitigation records. Starting a cancellation is one atomic claim: of any number of concurrent
/// confirmations exactly one calls Partner Center; a failed one may be retried, an accepted one never
/// repeats, and a claim whose instance died lapses. <see cref="RedisMitigationLedger"/> keeps them in Redis;
/// <see cref="InMemoryMitigationLedger"/> in this process (one instance only).
/// </summary>
public interface IMitigationLedger
{
    /// <summary>How long a pending cancellation holds before another confirmation may take over.</summary>
    static readonly TimeSpan PendingLapse = TimeSpan.FromMinutes(3);

    /// <summary>The alert's mitigation, or null when none was started.</summary>
    Task<MitigationRecord?> GetAsync(string alertId);

    /// <summary>
    /// Claims the cancellation for <paramref name="claim"/> (its state is set to pending here), provided
    /// the alert's triage record still holds the applied fraud verdict at <paramref name="triageVersion"/>
    /// (checked in the same atomic step, so a reopen cannot slip in between). Returns whether this call won and
    /// the record as it is now (null when the triage moved on).
    /// </summary>
    Task<(bool Won, MitigationRecord? Record)> TryClaimAsync(string alertId, MitigationRecord claim, int triageVersion);

    /// <summary>Records how the claimed cancellation ended (unless its claim lapsed and another took over).</summary>
    Task<bool> CompleteAsync(string alertId, MitigationRecord claimed, MitigationState state, string? failure);

    /// <summary>A record as stored (JSON).</summary>
    internal static string Serialize(MitigationRecord record) => JsonSerializer.Serialize(record, MitigationJsonContext.Default.MitigationRecord);

    /// <summary>A stored record read back.</summary>
    internal static MitigationRecord Parse(string json) => JsonSerializer.Deserialize(json, MitigationJsonContext.Default.MitigationRecord)!;

    /// <summary>The pending form of a claim, as both stores record it.</summary>
    internal static MitigationRecord Pending(MitigationRecord claim) => claim with
    {
        State = MitigationState.Pending,
        Error = null,
        PendingUntil = (claim.At + PendingLapse).ToUnixTimeMilliseconds(),
    };
}
