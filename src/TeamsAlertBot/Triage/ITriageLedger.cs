using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TeamsAlertBot.Core.Triage;

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
/// The triage records: a decision is a compare-and-set on the record's version, so of any number of
/// concurrent clicks exactly one wins and the others see what won; a pending claim whose instance died
/// lapses after <see cref="PendingLapse"/>. <see cref="RedisTriageLedger"/> keeps them in Redis (shared
/// by every instance); <see cref="InMemoryTriageLedger"/> in this process (one instance only).
/// </summary>
public interface ITriageLedger
{
    /// <summary>The most audit entries kept per alert (the oldest go first).</summary>
    const int MaxAuditEntries = 200;

    /// <summary>How long a pending claim holds before another click may take over.</summary>
    static readonly TimeSpan PendingLapse = TimeSpan.FromMinutes(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(TriageJsonContext.Default, TriageLedgerJsonContext.Default),
        Converters = { new JsonStringEnumConverter<TriageState>() },
    };

    /// <summary>The alert's triage record (the initial one when nobody decided yet).</summary>
    Task<TriageRecord> GetAsync(string alertId);

    /// <summary>
    /// Claims the decision for a click made on a card showing <paramref name="expectedVersion"/>.
    /// Returns the outcome and the record as it is now (the new one when won).
    /// </summary>
    Task<(ClaimOutcome Outcome, TriageRecord Record)> TryClaimAsync(
        string alertId, int expectedVersion, TriageVerdict verdict, string? actorName, string? actorObjectId, string? comment, DateTimeOffset now);

    /// <summary>Marks the decision claimed at <paramref name="version"/> applied or failed (unless a newer one replaced it).</summary>
    Task<bool> CompleteAsync(string alertId, int version, TriageState state);

    /// <summary>Appends to the alert's audit trail (bounded to the newest <see cref="MaxAuditEntries"/>; it expires with the alert's state).</summary>
    Task AppendAuditAsync(string alertId, AuditEntry entry);

    /// <summary>The alert's audit trail, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(string alertId);

    /// <summary>The pending record a click claims, as both stores record it.</summary>
    internal static TriageRecord NewClaim(int expectedVersion, TriageVerdict verdict, string? actorName, string? actorObjectId, string? comment, DateTimeOffset now) =>
        new()
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

    /// <summary>A record as stored (JSON).</summary>
    internal static string Serialize(TriageRecord record) => JsonSerializer.Serialize(record, Json);

    /// <summary>A stored record read back.</summary>
    internal static TriageRecord Parse(string json) => JsonSerializer.Deserialize<TriageRecord>(json, Json)!;

    /// <summary>An audit entry as stored (JSON).</summary>
    internal static string Serialize(AuditEntry entry) => JsonSerializer.Serialize(entry, Json);

    /// <summary>A stored audit entry read back.</summary>
    internal static AuditEntry ParseAudit(string json) => JsonSerializer.Deserialize<AuditEntry>(json, Json)!;
}

/// <summary>Serializer metadata of the audit trail.</summary>
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class TriageLedgerJsonContext : JsonSerializerContext;
