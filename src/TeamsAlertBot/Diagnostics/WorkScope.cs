using System.Collections;

namespace TeamsAlertBot.Diagnostics;

/// <summary>
/// A log scope naming the alert and the conversation a piece of work is done for: every line logged
/// inside it carries <c>AlertId</c> and <c>ConversationId</c> (as attributes in OpenTelemetry, as
/// <c>AlertId:… ConversationId:…</c> in the console's scope text). Absent ids are left out.
/// </summary>
internal sealed class WorkScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values;

    private WorkScope(KeyValuePair<string, object?>[] values) => _values = values;

    /// <summary>The scope of work for <paramref name="alertId"/> in <paramref name="conversationId"/> (either may be null).</summary>
    public static WorkScope For(string? alertId, string? conversationId) => new(
    [
        .. alertId is null ? Array.Empty<KeyValuePair<string, object?>>() : [new("AlertId", alertId)],
        .. conversationId is null ? Array.Empty<KeyValuePair<string, object?>>() : [new("ConversationId", conversationId)],
    ]);

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _values.Select(v => $"{v.Key}:{v.Value}"));
}
