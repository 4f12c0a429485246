using System.Globalization;
using System.Text.Json;
using TeamsAlertBot.Core.Triage;

namespace TeamsAlertBot.Triage;

/// <summary>How a tick or an untick ended.</summary>
public enum ResponseTickOutcome
{
    /// <summary>This call changed the checklist, and its audit entry was written in the same step.</summary>
    Recorded,

    /// <summary>Nothing to do: the step was already ticked (or not ticked, for an untick).</summary>
    Unchanged,

    /// <summary>The checklist's verdict is no longer the alert's (reopened, replaced, not applied).</summary>
    Stale,
}

/// <summary>
/// An alert's checklist as it stands: the triage record whose verdict it follows, the ticks of that
/// verdict, and the mitigation (whose accepted cancellation counts as the cancellation step done).
/// </summary>
public sealed record ResponseChecklistState(TriageRecord Triage, ResponseChecklistTicks Ticks, MitigationRecord? Mitigation)
{
    /// <summary>The accepted cancellation as a tick (who, when), or null.</summary>
    public ResponseTick? Cancellation => Mitigation is { State: MitigationState.Accepted } m ? new ResponseTick(m.ActorName, m.ActorObjectId, m.At) : null;

    /// <summary>"n of m" for an alert of <paramref name="alertType"/>; null while the alert has no checklist (no verdict recorded).</summary>
    public ResponseProgress? Progress(string? alertType) => ResponseChecklist.Progress(Triage, alertType, Ticks, Cancellation is not null);
}

/// <summary>
/// The guided response's checklists. A tick is one atomic step with its audit entry, bound to the
/// triage version of the verdict it follows: of concurrent ticks of one step exactly one records it
/// (and writes one audit entry), and a tick on the checklist of a reopened or replaced verdict is refused.
/// Its keys live in the alert's hash slot and expire with the alert's state (<c>Alerts:StateRetention</c>).
/// <see cref="RedisResponseChecklistLedger"/> keeps them in Redis; <see cref="InMemoryResponseChecklistLedger"/> in this process.
/// Other features (a dashboard) read progress through <see cref="GetAsync"/>.
/// </summary>
public interface IResponseChecklistLedger
{
    /// <summary>The alert's checklist as it stands now.</summary>
    Task<ResponseChecklistState> GetAsync(string alertId);

    /// <summary>
    /// Ticks (<paramref name="done"/> true) or unticks <paramref name="item"/> of the checklist that follows
    /// <paramref name="verdict"/> recorded at <paramref name="triageVersion"/>, and appends
    /// <paramref name="audit"/> to the alert's audit trail in the same atomic step when it changed anything.
    /// </summary>
    Task<ResponseTickOutcome> SetAsync(string alertId, int triageVersion, TriageVerdict verdict, ResponseItem item, bool done, ResponseTick tick, AuditEntry audit);

    /// <summary>The hash field of a step at a triage version.</summary>
    internal static string Field(int triageVersion, ResponseItem item) => triageVersion.ToString(CultureInfo.InvariantCulture) + ":" + item;

    /// <summary>The ticks of <paramref name="triageVersion"/> among stored fields (others, and unreadable ones, are left out).</summary>
    internal static ResponseChecklistTicks Ticks(int triageVersion, IEnumerable<KeyValuePair<string, string>> fields)
    {
        string prefix = triageVersion.ToString(CultureInfo.InvariantCulture) + ":";
        Dictionary<ResponseItem, ResponseTick> ticks = [];
        foreach ((string field, string json) in fields)
        {
            if (field.StartsWith(prefix, StringComparison.Ordinal)
                && Enum.TryParse(field[prefix.Length..], ignoreCase: false, out ResponseItem item) && Enum.IsDefined(item)
                && JsonSerializer.Deserialize(json, ResponseJsonContext.Default.ResponseTick) is { } tick)
            {
                ticks[item] = tick;
            }
        }

        return new ResponseChecklistTicks(triageVersion, ticks);
    }

    /// <summary>A tick as stored (JSON).</summary>
    internal static string Serialize(ResponseTick tick) => JsonSerializer.Serialize(tick, ResponseJsonContext.Default.ResponseTick);
}
