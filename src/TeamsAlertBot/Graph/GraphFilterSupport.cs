using System.Collections.Concurrent;

namespace TeamsAlertBot.Graph;

/// <summary>
/// What this process learned about Graph's <c>$filter</c> support for partner security alerts: the
/// docs do not say which properties are filterable, so a filter shape Graph answered 400 to is not
/// sent again until restart (the list is then filtered client-side). One per process (singleton).
/// </summary>
public sealed class GraphFilterSupport
{
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);

    internal GraphFilterSupport()
    {
    }

    internal bool IsRefused(string shape) => _refused.ContainsKey(shape);

    internal void MarkRefused(string shape) => _refused.TryAdd(shape, 0);
}
