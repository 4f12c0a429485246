using System.Collections.Concurrent;
using TeamsAlertBot.Alerts;
using TeamsAlertBot.Core.Alerts;

namespace TeamsAlertBot.Triage;

/// <summary>
/// Reads an alert for a card click, sharing one Graph call among the clicks on the same alert that
/// arrive while it is in flight: a burst of a hundred clicks on one card costs one read, not a
/// hundred. Nothing is kept once the read completes, and a write of the alert (<see cref="Forget"/>)
/// detaches the read in flight, so a click that arrives after a write never joins a read that began
/// before it. Only clicks use it; card edits after a write read afresh.
/// </summary>
public sealed class ClickAlertReader(IAlertSource source)
{
    private readonly ConcurrentDictionary<string, Task<PartnerSecurityAlert?>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The alert as Graph has it now; null when it no longer exists.</summary>
    public Task<PartnerSecurityAlert?> GetAsync(string alertId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        var mine = new TaskCompletionSource<PartnerSecurityAlert?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<PartnerSecurityAlert?> shared = _inFlight.GetOrAdd(alertId, mine.Task);
        if (shared == mine.Task)
        {
            _ = ReadAsync(alertId, mine);
        }

        // One caller giving up does not cancel the read the others wait for.
        return shared.WaitAsync(cancellationToken);
    }

    /// <summary>After a write of the alert: clicks from now on start a new read.</summary>
    public void Forget(string alertId) => _inFlight.TryRemove(alertId, out _);

    private async Task ReadAsync(string alertId, TaskCompletionSource<PartnerSecurityAlert?> read)
    {
        try
        {
            read.SetResult(await source.GetAsync(alertId, CancellationToken.None));
        }
        catch (Exception e)
        {
            read.SetException(e);
        }
        finally
        {
            _inFlight.TryRemove(KeyValuePair.Create(alertId, read.Task));
        }
    }
}
